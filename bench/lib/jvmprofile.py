#!/usr/bin/env python3
"""Where a JVM run's CPU went: async-profiler's collapsed stacks (with `threads`) summed by phase.

Usage: jvmprofile.py CPU.collapsed INTERVAL_MS [CLASSES.log]

Each sample is one INTERVAL_MS of CPU on one thread. A sample goes to the first phase whose pattern
matches, walking its stack from the thread's root to the leaf, so a phase includes everything it calls
(class loading, interpretation, JIT-compiled code). A second table counts costs that cut across the
phases (class loading, the interpreter, crypto primitives), so both tables add up independently.
With the JVM's -Xlog:class+load log it also counts the classes loaded, by where they came from
(the CDS archive, the JDK's modules, the application jar).
"""
import re
import sys
from collections import Counter

# (phase, thread-name pattern or None, frame pattern); first match wins, in this order
PHASES = [
    ('JIT compiler threads', r'^\[C[12] CompilerThre', r'CompileBroker::'),
    ('VM thread, GC', r'^\[(VM Thread|GC Thread|VM Periodic)', r'VMThread::|GCTaskThread|SerialHeap|GenCollectedHeap'),
    ('JVM start, before main', None, r'Threads::create_vm|JavaMain|LoadJavaVM|InitializeJVM'),
    ('sshj config (algorithm factories, provider registration)', None,
     r'SshConnection\.sshConfig|DefaultConfig\.<init>|SshConnection\.<clinit>'),
    ('BouncyCastle provider registration (outside the config)', None, r'SecurityUtils\.register'),
    ('CLI model (picocli)', None, r'Main\.commandLine|picocli/CommandLine\$Model|CommandLine\.<init>'),
    ('inventory (YAML, validation)', None, r'dev/ntpdeploy/inventory/'),
    ('render (Mustache)', None, r'dev/ntpdeploy/render/|com/github/mustachejava'),
    ('known_hosts load', None, r'HostKeyPolicy\.<init>'),
    ('host key check (known_hosts scan)', None, r'HostKeyPolicy|verifyHost'),
    ('private key load', None, r'Credentials\.'),
    ('TCP connect', None, r'SocketClient\.connect|Socket\.connect|SocksSocketImpl\.connect'),
    ('key exchange (X25519, hashes, new keys)', None, r'KeyExchanger|/kex/'),
    ('user auth (Ed25519 signature)', None, r'UserAuthImpl|AuthPublickey|SSHClient\.auth'),
    ('remote commands (channels, streams)', None, r'SshConnection\.run|startSession|Session\.exec|ChannelInputStream|ChannelOutputStream'),
    ('sshj reader threads (decrypt, dispatch)', r'^\[sshj-Reader|^\[sshj-', r'net/schmizz/sshj/transport/Reader\.run'),
    ('JSON mapper set up (Jackson databind), asked or not', None, r'ApplyReport\.<clinit>|VerifyJson\.<clinit>|ObjectMapper\.<clinit>'),
    ('plan, diff, report', None, r'dev/ntpdeploy/(engine/Planner|report/|ops/)|difflib'),
    ('thread start', None, r'Thread\.start|JVM_StartThread'),
    ('thread exit', None, r'JavaThread::exit|JavaThread::post_run|ThreadsSMRSupport'),
    ('facts: parse probe output', None, r'dev/ntpdeploy/facts/'),
    ('class loading (elsewhere)', None, r'ClassLoader\.loadClass|SystemDictionary::|ClassFileParser'),
]
CROSS = [
    ('class loading, linking, init (anywhere)', r'ClassLoader\.(loadClass|defineClass)|SystemDictionary::|ClassFileParser|'
                                               r'Rewriter::|Verifier|link_class|InstanceKlass::initialize'),
    ('  of which reading the jar (zip, inflate)', r'ZipFile|Inflater|ZIP_'),
    ('interpreter (not yet compiled code)', r'Interpreter'),
    ('BouncyCastle (any)', r'org/bouncycastle'),
    ('JDK crypto providers (any)', r'sun/security/|com/sun/crypto'),
    ('JCA provider lookups (getInstance)', r'java/security/Provider|\.getInstance;|sun/security/jca'),
    ('X25519', r'X25519|XDH|Curve25519'),
    ('Ed25519 (host key verify, auth sign)', r'Ed25519|EdDSA'),
    ('ciphers (chacha20-poly1305, AES)', r'ChachaPoly|ChaCha|Poly1305|AES|GCM'),
    ('thread start and exit (anywhere)', r'Thread\.start|JVM_StartThread|JavaThread::exit|JavaThread::post_run'),
]


def norm_thread(name):
    name = re.sub(r' tid=\d+', '', name)
    return re.sub(r'[-/][^\]]*\]$|\d+\]$', ']', name)


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: jvmprofile.py CPU.collapsed INTERVAL_MS [CLASSES.log]')
    path, interval = sys.argv[1], float(sys.argv[2]) / 1000
    phases, cross, threads = Counter(), Counter(), Counter()
    total = 0
    compiled = [(p, re.compile(t) if t else None, re.compile(f) if f else None) for p, t, f in PHASES]
    cross_re = [(c, re.compile(p)) for c, p in CROSS]
    for line in open(path, errors='replace'):
        stack, _, n = line.rstrip('\n').rpartition(' ')
        if not n.isdigit():
            continue
        n = int(n)
        total += n
        frames = stack.split(';')
        thread = norm_thread(frames[0]) if frames[0].startswith('[') else '[?]'
        threads[thread] += n
        phase = None
        for p, tre, fre in compiled:
            if tre and tre.search(thread):
                phase = p
                break
            if fre and any(fre.search(f) for f in frames[1:]):
                phase = p
                break
        phases[phase or 'other: ' + thread] += n
        for c, cre in cross_re:
            if cre.search(stack):
                cross[c] += n
    if not total:
        sys.exit('jvmprofile.py: %s holds no samples' % path)

    def table(title, counter, limit=None):
        print(title)
        print('  %8s  %6s  %s' % ('CPU s', 'share', 'what'))
        for k, v in counter.most_common(limit):
            print('  %8.2f  %5.1f%%  %s' % (v * interval, 100.0 * v / total, k))

    print('%d samples of %.0f ms = %.2f CPU-s sampled' % (total, interval * 1000, total * interval))
    print()
    table('By phase (a sample counts once, in the first phase on its stack from the thread root):', phases)
    print()
    print('Across phases (each line on its own; lines overlap):')
    print('  %8s  %6s  %s' % ('CPU s', 'share', 'what'))
    for c, _ in CROSS:
        print('  %8.2f  %5.1f%%  %s' % (cross[c] * interval, 100.0 * cross[c] / total, c))
    print()
    distinct = Counter()
    for t in threads:
        distinct[re.sub(r'\d+', 'N', t)] += 1
    table('By thread (names with numbers folded; %d distinct threads sampled):' % len(threads),
          Counter({k: sum(v for t, v in threads.items() if re.sub(r'\d+', 'N', t) == k) for k in distinct}), 12)
    if len(sys.argv) > 3:
        print()
        sources = Counter()
        for line in open(sys.argv[3], errors='replace'):
            m = re.search(r'source: (.*)$', line)
            if not m:
                continue
            src = m.group(1)
            if 'shared objects file' in src:
                sources['from the CDS archive (mapped, not parsed)'] += 1
            elif src.startswith('jrt:/'):
                sources['from the JDK modules (parsed)'] += 1
            elif src.endswith('.jar') or 'file:' in src:
                sources['from the application jar (parsed)'] += 1
            else:
                sources['generated at run time (lambdas, proxies, reflection)'] += 1
        print('Classes loaded: %d' % sum(sources.values()))
        for k, v in sources.most_common():
            print('  %6d  %s' % (v, k))


if __name__ == '__main__':
    main()
