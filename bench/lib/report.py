#!/usr/bin/env python3
"""Prints the benchmark table from bench/run's CSV: medians (min-max) per tool and step, ratios.

Usage: report.py CSV [--markdown]
"""
import csv
import statistics
import sys
from collections import defaultdict

STEPS = [
    ('first', 'first apply (all change, restart)'),
    ('second', 'second apply (nothing to change)'),
    ('dryrun', 'dry run with diff (all would change)'),
    ('verify', 'verify only (fleet in sync)'),
    ('floor', 'floor: ssh HOST true, all in parallel'),
    ('jvm', 'JVM start: ntpdeploy --version'),
]


def tool_order(tool):
    if tool == 'ntpdeploy':
        return (0, 0)
    if tool.startswith('ansible-f'):
        return (1, -int(tool[len('ansible-f'):]))
    return (2, ('openssh', 'openssh-c25519', 'openssh-ntpq').index(tool) if tool.startswith('openssh') else 9)


def label(tool):
    if tool.startswith('ansible-f'):
        return 'ansible forks=' + tool[len('ansible-f'):]
    if tool == 'openssh':
        return 'ssh true (default kex)'
    if tool == 'openssh-c25519':
        return 'ssh true (curve25519)'
    if tool == 'openssh-ntpq':
        return 'ssh ntpq peers+rv (verify floor)'
    return tool


def fmt_ratio(a, b):
    if not a or not b:
        return '-'
    r = a / b
    return '%.2f (%.1fx faster)' % (r, 1 / r) if r < 1 else '%.2f (%.1fx slower)' % (r, r)


def main():
    path = sys.argv[1]
    markdown = '--markdown' in sys.argv
    rows = list(csv.DictReader(open(path)))
    if not rows:
        sys.exit('report.py: %s holds no runs' % path)
    n = rows[0]['n']
    rounds = max(int(r['round']) for r in rows)
    runs = defaultdict(list)
    for r in rows:
        runs[(r['step'], r['tool'])].append(r)

    def med(step, tool, field='wall_s'):
        v = [float(r[field]) for r in runs.get((step, tool), [])]
        return statistics.median(v) if v else None

    header = ['step', 'tool', 'wall s median (min-max)', 'CPU s', 'machine CPU s', 'main RSS MiB', 'tree PSS MiB']
    table = []
    for step, title in STEPS:
        tools = sorted({t for (s, t) in runs if s == step}, key=tool_order)
        for i, tool in enumerate(tools):
            walls = [float(r['wall_s']) for r in runs[(step, tool)]]
            table.append([
                title if i == 0 else '',
                label(tool),
                '%.2f (%.2f-%.2f)' % (statistics.median(walls), min(walls), max(walls)),
                '%.2f' % med(step, tool, 'cpu_s'),
                ('%.1f' % med(step, tool, 'machine_cpu_s')) if 'machine_cpu_s' in rows[0] else '-',
                '%.0f' % (med(step, tool, 'main_rss_kib') / 1024),
                '%.0f' % (med(step, tool, 'tree_pss_kib') / 1024),
            ])

    floors = [f for f in ('openssh', 'openssh-c25519', 'openssh-ntpq') if med('floor', f)]
    ansibles = sorted({t for (_, t) in runs if t.startswith('ansible-f')}, key=tool_order)
    rheader = ['step'] + ['ntpdeploy / ' + label(a) for a in ansibles] + ['ntpdeploy / ' + label(f) for f in floors]
    rtable = []
    for step, title in STEPS[:4]:
        nd = med(step, 'ntpdeploy')
        if nd is None:
            continue
        rtable.append([step] + [fmt_ratio(nd, med(step, a)) for a in ansibles]
                      + ['-' if f == 'openssh-ntpq' and step != 'verify' else '%.2f' % (nd / med('floor', f))
                         for f in floors])

    print('N=%s hosts, %d round(s); medians of: wall time, controller CPU (user+sys of the tool and its children),'
          ' machine CPU (everything on the machine: controller + lab sshd/remote commands), controller peak memory'
          % (n, rounds))
    emit(header, table, markdown)
    print()
    print('Ratios of median wall times (below 1: ntpdeploy is faster)')
    emit(rheader, rtable, markdown)


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
