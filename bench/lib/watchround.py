#!/usr/bin/env python3
"""CPU of a cold `ntpdeploy verify` against one steady-state `watch` round on the running lab: bench/watch-round.

Usage: watchround.py ROOT SAMPLES EVERY   (as root, LAB_ID in the environment)

Host-side CPU is counted per lab host as its sshd listener's process tree: utime+stime+cutime+cstime of the
listener and of every live descendant. A process that ends is reaped by its parent in the tree, whose c-times then
hold it, so the sum only grows and a delta is the work done between two snapshots (ntpd is not in the tree: what
it spends answering ntpq is not counted, nor anything reparented to init).
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT, SAMPLES, EVERY = sys.argv[1], int(sys.argv[2]), sys.argv[3]
HZ = os.sysconf('SC_CLK_TCK')
LAB = dict(line.split('=', 1) for line in subprocess.run(
    [ROOT + '/lab/fleet', 'env'], capture_output=True, text=True, check=True).stdout.splitlines() if '=' in line)
INV, KH = LAB['LAB_INVENTORY'], LAB['LAB_KNOWN_HOSTS']
SSHD = [int(open('%s/hosts/%s/run/sshd.pid' % (LAB['LAB_STATE'], h)).read().split()[0]) for h in LAB['LAB_HOSTS'].split()]
NTPDEPLOY = [ROOT + '/bin/ntpdeploy']


def machine_busy():
    """Busy CPU seconds of the machine since boot: all of /proc/stat's first line but idle and iowait."""
    v = [int(x) for x in open('/proc/stat').readline().split()[1:9]]
    return (sum(v) - v[3] - v[4]) / HZ


def stat(pid):
    """(ppid, utime+stime+cutime+cstime in ticks), or None when the process is gone."""
    try:
        s = open('/proc/%d/stat' % pid).read()
    except OSError:
        return None
    f = s[s.rindex(')') + 2:].split()
    return int(f[1]), sum(int(x) for x in f[11:15])


def hosts_cpu():
    procs = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            st = stat(int(p))
            if st:
                procs[int(p)] = st
    children = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, list(SSHD)
    while todo:
        pid = todo.pop()
        if pid in procs:
            total += procs[pid][1]
            todo += children.get(pid, [])
    return total / HZ


def snapshot(controller):
    return {'machine': machine_busy(), 'controller': controller(), 'hosts': hosts_cpu()}


def delta(a, b):
    return {k: round(b[k] - a[k], 3) for k in a}


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cold_verifies():
    out = []
    for i in range(SAMPLES):
        before = snapshot(children_cpu)
        t = time.monotonic()
        run = subprocess.run(NTPDEPLOY + ['verify', INV, '--known-hosts', KH], capture_output=True, text=True)
        d = delta(before, snapshot(children_cpu))
        d['wall'] = round(time.monotonic() - t, 3)
        if run.returncode != 0:
            sys.exit('verify exited %d (a fleet not in sync is not a benchmark):\n%s%s'
                     % (run.returncode, run.stdout, run.stderr))
        print('cold verify %d: %s' % (i + 1, json.dumps(d)), flush=True)
        out.append(d)
    return out


def watch_rounds(tmp):
    history = os.path.join(tmp, 'history.jsonl')
    err = open(os.path.join(tmp, 'watch.err'), 'w')
    w = subprocess.Popen(NTPDEPLOY + ['watch', INV, '--known-hosts', KH, '--every', EVERY, '--metrics-listen', 'none',
                                      '--history', history], stdout=subprocess.DEVNULL, stderr=err)

    def jvm_cpu():
        st = stat(w.pid)  # bin/ntpdeploy execs java: same pid
        return st[1] / HZ if st else 0.0

    def round_written(n, limit=180):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if w.poll() is not None:
                sys.exit('watch exited with %d: see %s' % (w.returncode, err.name))
            try:
                lines = open(history).read().split('\n')[:-1]  # whole lines only
            except OSError:
                lines = []
            if len(lines) >= n:
                return json.loads(lines[n - 1])
            time.sleep(0.01)  # polls the condition; a round ends when its line is written
        sys.exit('watch wrote no round %d within %d s: see %s' % (n, limit, err.name))

    out = []
    try:
        round_written(3)
        before = snapshot(jvm_cpu)
        for n in range(4, 4 + SAMPLES):
            r = round_written(n)
            now = snapshot(jvm_cpu)
            if r['status'] != 'OK':
                sys.exit('round %d: %s (a fleet not in sync is not a benchmark)' % (n, r['status']))
            d = delta(before, now)
            d['round_s'] = r['duration_s']
            print('watch round %d (one %s interval): %s' % (n, EVERY, json.dumps(d)), flush=True)
            out.append(d)
            before = now
    finally:
        w.terminate()
        w.wait(60)
    return out


def main():
    import tempfile
    with tempfile.TemporaryDirectory(prefix='watch-round.') as tmp:
        cold, steady = cold_verifies(), watch_rounds(tmp)
    med = lambda rows, k: statistics.median(r[k] for r in rows)
    both = lambda r: r['controller'] + r['hosts']
    print('\nmedians of %d, CPU-s     cold verify   steady round   steady/cold' % SAMPLES)
    for k in ('controller', 'hosts', 'machine'):
        print('  %-22s %10.3f %14.3f %13.2f' % (k, med(cold, k), med(steady, k), med(steady, k) / med(cold, k)))
    c, s = statistics.median(map(both, cold)), statistics.median(map(both, steady))
    print('  %-22s %10.3f %14.3f %13.2f   (issue 17: at most 0.33)' % ('controller + hosts', c, s, s / c))
    print('load average now: %s' % open('/proc/loadavg').read().split()[:3])


main()
