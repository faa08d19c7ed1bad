#!/usr/bin/env python3
"""Runs one benchmarked command and records its wall time and controller memory.

Usage: measure.py OUT_FILE -- COMMAND ARGS...

Writes one line `wall_s main_rss_kib tree_pss_kib tree_rss_kib cpu_s machine_cpu_s` to OUT_FILE and exits with the
command's exit code. The command's own stdout/stderr pass through untouched.

- wall_s: monotonic wall time from fork to exit.
- main_rss_kib: GNU time's %M (ru_maxrss of the command as reaped by wait4: the biggest single
  process, not the sum of a tree). Exact for the JVM (one process), an undercount for Ansible,
  which forks one worker per host and task and spawns an ssh client per host.
- tree_pss_kib / tree_rss_kib: peak of the SUM over the whole process tree, sampled every 100 ms
  from /proc (PSS from smaps_rollup shares pages between forks fairly; RSS double-counts them).
  This process makes itself a child subreaper, so processes that daemonise (Ansible's ssh
  ControlMasters) are reparented to it and stay counted. Sampling can miss a peak shorter than 100 ms.
- cpu_s: user+sys CPU of the command and its reaped children (GNU time %U+%S); the daemonised ssh
  ControlMasters are not reaped by the command and are not included.
- machine_cpu_s: CPU seconds the whole machine spent while the command ran (/proc/stat: user, nice,
  system, irq, softirq, steal), i.e. the controller plus the lab hosts' sshd and remote commands,
  which share the same cores here. Only meaningful when nothing else runs on the machine.
"""
import ctypes
import os
import subprocess
import sys
import tempfile
import threading
import time

INTERVAL = 0.1


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except OSError:
        return b''


def descendants(root):
    """root's descendants, read from /proc/PID/task/TID/children (cheap: no scan of all of /proc)."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            tids = os.listdir('/proc/%d/task' % pid)
        except OSError:
            continue
        for tid in tids:
            for child in read('/proc/%d/task/%s/children' % (pid, tid)).split():
                found.append(int(child))
                todo.append(int(child))
    return found


def machine_busy():
    """Busy CPU seconds of the whole machine since boot (first line of /proc/stat)."""
    f = read('/proc/stat').split(b'\n', 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in f[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf('SC_CLK_TCK')


def memory(pid):
    pss = rss = 0
    for line in read('/proc/%d/smaps_rollup' % pid).splitlines():
        if line.startswith(b'Pss:'):
            pss = int(line.split()[1])
        elif line.startswith(b'Rss:'):
            rss = int(line.split()[1])
    return pss, rss


def main():
    args = sys.argv[1:]
    out = args.pop(0)
    if not args or args[0] != '--':
        sys.exit('usage: measure.py OUT_FILE -- COMMAND ARGS...')
    cmd = args[1:]

    fd, tfile = tempfile.mkstemp(prefix='bench-time.')
    os.close(fd)
    peak = {'pss': 0, 'rss': 0}
    done = threading.Event()

    # PR_SET_CHILD_SUBREAPER: orphans of the command (daemonised helpers) are reparented to us
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)
    busy0 = machine_busy()
    start = time.monotonic()
    proc = subprocess.Popen(['/usr/bin/time', '-f', '%M %U %S', '-o', tfile, '--'] + cmd)

    def sample():
        while not done.is_set():
            pss = rss = 0
            for pid in descendants(os.getpid()):
                if pid == proc.pid:
                    continue  # GNU time itself is not the controller
                p, r = memory(pid)
                pss += p
                rss += r
            peak['pss'] = max(peak['pss'], pss)
            peak['rss'] = max(peak['rss'], rss)
            done.wait(INTERVAL)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rc = proc.wait()
    wall = time.monotonic() - start
    busy = machine_busy() - busy0
    done.set()
    sampler.join()

    fields = read(tfile).decode().split('\n')
    os.unlink(tfile)
    # GNU time prefixes "Command exited with non-zero status N" when rc != 0
    line = [l for l in fields if l and not l.startswith('Command')]
    main_rss, user, sys_ = line[-1].split() if line else ('0', '0', '0')
    with open(out, 'w') as f:
        f.write('%.3f %s %d %d %.2f %.2f\n' % (wall, main_rss, peak['pss'], peak['rss'],
                                              float(user) + float(sys_), busy))
    sys.exit(rc)


if __name__ == '__main__':
    main()
