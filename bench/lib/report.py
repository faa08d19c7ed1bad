#!/usr/bin/env python3
"""Prints the benchmark tables of ONE bench/run run from its CSV: medians (min-max) per size, tool and
step, the ratios to Ansible and to each floor, and the issue's targets met or not.

Usage: report.py CSV [--markdown]

Every figure comes from the one CSV (one run of bench/run, one size or a sweep): tables from different
runs are never mixed. The run's facts (date, machine, versions, load) are read from CSV.meta, which
bench/run writes beside the CSV; the 1-minute load average at each step's start and end comes from the
CSV's own columns. --markdown prints the section docs/benchmarks.md carries.
"""
import csv
import os
import statistics
import sys
from collections import defaultdict

STEPS = [
    ('first', 'first apply (all change, restart)'),
    ('second', 'second apply (nothing to change)'),
    ('dryrun', 'dry run with diff (all would change)'),
    ('verify', 'verify only (fleet in sync)'),
    ('floor', 'floor: ssh to all hosts at once'),
    ('jvm', 'JVM start: ntpdeploy --version'),
]
FLOORS = ('openssh', 'openssh-c25519', 'openssh-ntpq')
LABELS = {
    'openssh': 'ssh true (default kex)',
    'openssh-c25519': 'ssh true (curve25519)',
    'openssh-ntpq': 'ssh ntpq peers+rv (verify floor)',
}
# issue 17's targets: (step, against, kind, bound, text). kind 'faster': the other tool's median wall over
# ntpdeploy's must be >= bound; 'within': ntpdeploy's over the floor's must be <= bound.
TARGETS = [
    ('second', 'ansible-f50', 'faster', 10, 'idempotent apply >= 10x faster than Ansible forks=50'),
    ('second', 'openssh-c25519', 'within', 2, 'idempotent apply <= 2x the curve25519 ssh-true floor'),
    ('dryrun', 'ansible-f50', 'faster', 15, 'dry run >= 15x faster than Ansible forks=50'),
    ('first', 'ansible-f50', 'faster', 6, 'first apply >= 6x faster than Ansible forks=50'),
    ('verify', 'ansible-f50', 'faster', 5, 'verify >= 5x faster than Ansible forks=50'),
    ('verify', 'openssh-ntpq', 'within', 1, 'verify not slower than the verify floor'),
]
MEMORY_TARGET_KIB_PER_HOST = 1024


def tool_order(tool):
    if tool == 'ntpdeploy':
        return (0, 0)
    if tool.startswith('ansible-f'):
        return (1, -int(tool[len('ansible-f'):]))
    return (2, FLOORS.index(tool) if tool in FLOORS else 9)


def label(tool):
    if tool.startswith('ansible-f'):
        return 'ansible forks=' + tool[len('ansible-f'):]
    return LABELS.get(tool, tool)


def fmt_ratio(a, b):
    if not a or not b:
        return '-'
    r = a / b
    return '%.2f (%.1fx faster)' % (r, 1 / r) if r < 1 else '%.2f (%.1fx slower)' % (r, r)


def read_meta(csv_path):
    meta = {}
    path = csv_path + '.meta'
    if os.path.exists(path):
        for line in open(path):
            k, sep, v = line.rstrip('\n').partition('=')
            if sep:
                meta[k] = v
    return meta


class Size:
    """The runs of one size N: medians per (step, tool)."""

    def __init__(self, n, rows):
        self.n = n
        self.rows = rows
        self.rounds = max(int(r['round']) for r in rows)
        self.runs = defaultdict(list)
        for r in rows:
            self.runs[(r['step'], r['tool'])].append(r)

    def med(self, step, tool, field='wall_s'):
        v = [float(r[field]) for r in self.runs.get((step, tool), []) if r.get(field) not in (None, '')]
        return statistics.median(v) if v else None

    def wall(self, step, tool):
        """ntpdeploy's and Ansible's steps by name; a floor by its tool name, whatever the step."""
        return self.med('floor', tool) if tool in FLOORS else self.med(step, tool)

    def tools(self, step):
        return sorted({t for (s, t) in self.runs if s == step}, key=tool_order)

    def loads(self):
        v = [float(r[k]) for r in self.rows for k in ('load1_start', 'load1_end') if r.get(k)]
        return (min(v), max(v)) if v else None


def sizes_of(rows):
    by_n = defaultdict(list)
    for r in rows:
        by_n[int(r['n'])].append(r)
    return [Size(n, by_n[n]) for n in sorted(by_n)]


def results_table(s, has_machine_cpu):
    header = ['step', 'tool', 'wall s median (min-max)', 'CPU s', 'CPU ms/host', 'machine CPU s',
              'main RSS MiB', 'tree PSS MiB']
    table = []
    for step, title in STEPS:
        for i, tool in enumerate(s.tools(step)):
            walls = [float(r['wall_s']) for r in s.runs[(step, tool)]]
            cpu = s.med(step, tool, 'cpu_s')
            table.append([
                title if i == 0 else '',
                label(tool),
                '%.2f (%.2f-%.2f)' % (statistics.median(walls), min(walls), max(walls)),
                '%.2f' % cpu,
                '%.1f' % (1000 * cpu / s.n) if step != 'jvm' else '-',
                ('%.1f' % s.med(step, tool, 'machine_cpu_s')) if has_machine_cpu else '-',
                '%.0f' % (s.med(step, tool, 'main_rss_kib') / 1024),
                '%.0f' % (s.med(step, tool, 'tree_pss_kib') / 1024),
            ])
    return header, table


def ratio_table(s):
    floors = [f for f in FLOORS if s.med('floor', f)]
    ansibles = sorted({t for (_, t) in s.runs if t.startswith('ansible-f')}, key=tool_order)
    header = ['step'] + ['ntpdeploy / ' + label(a) for a in ansibles] + ['ntpdeploy / ' + label(f) for f in floors]
    table = []
    for step, _ in STEPS[:4]:
        nd = s.med(step, 'ntpdeploy')
        if nd is None:
            continue
        table.append([step] + [fmt_ratio(nd, s.med(step, a)) for a in ansibles]
                     + ['-' if (f == 'openssh-ntpq') != (step == 'verify') else '%.2f' % (nd / s.med('floor', f))
                        for f in floors])
    return header, table


def target_table(s):
    header = ['target', 'measured', 'met']
    table = []
    for step, other, kind, bound, text in TARGETS:
        nd, o = s.med(step, 'ntpdeploy'), s.wall(step, other)
        if nd is None or o is None:
            continue
        if kind == 'faster':
            v = o / nd
            table.append([text, '%.1fx' % v, 'yes' if v >= bound else 'no'])
        else:
            v = nd / o
            table.append([text, '%.2fx the floor' % v, 'yes' if v <= bound else 'no'])
    rss = [s.med(step, 'ntpdeploy', 'main_rss_kib') for step, _ in STEPS[:4]]
    rss = [r for r in rss if r is not None]
    if rss:
        per_host = max(rss) / s.n
        table.append(['controller memory < 1 MiB per host (peak RSS / N; the target is for N=500)',
                      '%.2f MiB/host (%.0f MiB)' % (per_host / 1024, max(rss) / 1024),
                      'yes' if per_host < MEMORY_TARGET_KIB_PER_HOST else 'no'])
    return header, table


def sweep_table(sizes):
    """wall s and controller CPU ms per host, per tool and step, one column per N."""
    header = ['step', 'tool'] + ['N=%d' % s.n for s in sizes]
    table = []
    for step, title in STEPS[:4]:
        tools = sorted({t for s in sizes for t in s.tools(step)}, key=tool_order)
        tools += [f for f in FLOORS if any(s.med('floor', f) for s in sizes)
                  and (f == 'openssh-ntpq') == (step == 'verify')]
        for i, tool in enumerate(tools):
            cells = []
            for s in sizes:
                w = s.wall(step, tool)
                c = s.med('floor' if tool in FLOORS else step, tool, 'cpu_s')
                cells.append('-' if w is None else '%.1f s, %.0f ms/host' % (w, 1000 * c / s.n))
            table.append([title if i == 0 else '', label(tool)] + cells)
    return header, table


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 1:
        sys.exit('usage: report.py CSV [--markdown]')
    path = args[0]
    markdown = '--markdown' in sys.argv
    rows = list(csv.DictReader(open(path)))
    if not rows:
        sys.exit('report.py: %s holds no runs' % path)
    meta = read_meta(path)
    has_machine_cpu = 'machine_cpu_s' in rows[0]
    sizes = sizes_of(rows)

    heading = (lambda t: print('#### ' + t + '\n')) if markdown else (lambda t: print(t))
    describe_run(path, meta, sizes, markdown)
    for s in sizes:
        print()
        loads = s.loads()
        heading('N=%d hosts, %d round(s)%s' % (s.n, s.rounds,
                '; 1-minute load average %.1f-%.1f' % loads if loads else ''))
        emit(*results_table(s, has_machine_cpu), markdown)
        print()
        heading('N=%d: ratios of median wall times (below 1: ntpdeploy is faster)' % s.n)
        emit(*ratio_table(s), markdown)
        targets = target_table(s)
        if targets[1]:
            print()
            heading('N=%d: targets (issue 17)' % s.n)
            emit(*targets, markdown)
    if len(sizes) > 1:
        print()
        heading('Sweep: median wall time and controller CPU per host')
        emit(*sweep_table(sizes), markdown)


def describe_run(path, meta, sizes, markdown):
    loads = [l for s in sizes for l in (s.loads() or ())]
    lines = [
        'One run of bench/run: %s (%s)' % (os.path.basename(path), 'sizes ' + ', '.join(str(s.n) for s in sizes)),
        'date: %s to %s (UTC)' % (meta.get('started', '?'), meta.get('ended', '?')),
        'rounds: %s; tools: %s; Ansible at sizes up to: %s' % (meta.get('rounds', max(s.rounds for s in sizes)),
                                                         meta.get('tools', '?'), meta.get('ansible_max', 'all')),
        'machine: %s cores (%s), %s GiB, kernel %s' % (meta.get('cores', '?'), meta.get('cpu', '?'),
                                                       meta.get('memory_gib', '?'), meta.get('kernel', '?')),
        'load average (1, 5, 15 min) at start %s, at end %s; 1-minute load during the steps %s' % (
            meta.get('load_start', '?'), meta.get('load_end', '?'),
            '%.1f-%.1f' % (min(loads), max(loads)) if loads else 'not recorded'),
        'versions: ntpdeploy %s; %s; %s; %s' % (meta.get('ntpdeploy', '?'), meta.get('java', '?'),
                                              meta.get('ansible', '?'), meta.get('openssh', '?')),
        'medians of: wall time; controller CPU (user+sys of the tool and its children); per host = / N;'
        ' machine CPU (the whole machine while the step ran: controller + lab hosts; meaningful only on an'
        ' otherwise idle machine); controller peak memory',
    ]
    if markdown:
        for l in lines:
            print('- ' + l)
    else:
        for l in lines:
            print(l)


def emit(header, table, markdown):
    if markdown:
        print('| ' + ' | '.join(header) + ' |')
        print('|' + '|'.join('---' for _ in header) + '|')
        for row in table:
            print('| ' + ' | '.join(row) + ' |')
        return
    widths = [max(len(str(x)) for x in col) for col in zip(header, *table)]
    for row in [header] + table:
        print('  '.join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())


if __name__ == '__main__':
    main()
