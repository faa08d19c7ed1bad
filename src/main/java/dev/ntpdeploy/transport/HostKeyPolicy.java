package dev.ntpdeploy.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Strict host-key checking against OpenSSH known_hosts files, shared by every connection of a run.
 *
 * <p>A key is accepted only when a line for the host carries exactly that key. A host with no line at
 * all is refused, or with {@code acceptNew} trusted on first use (one hashed line appended); a host whose
 * lines all carry other keys is refused as CHANGED, always. There is no way to accept any key.
 * Lines are found through a {@link KnownHostsIndex}, so a check reads the host's own lines only, without a lock.
 */
public final class HostKeyPolicy {

    /** Why a host's key was refused; {@link #message()} is the one line the operator sees. */
    public record Rejection(String message) {
    }

    private final List<Source> sources = new ArrayList<>();
    private final KnownHostsIndex index = new KnownHostsIndex();
    private final boolean acceptNew;

    private record Source(Path file, boolean userFile) {
    }

    /**
     * @param userKnownHosts the user's file (normally ~/.ssh/known_hosts; need not exist) - also where
     *                       first-use keys are written
     * @param extraFiles     further files to trust (--known-hosts), read-only unless the user file is not writable
     */
    public HostKeyPolicy(Path userKnownHosts, List<Path> extraFiles, boolean acceptNew) throws IOException {
        this.acceptNew = acceptNew;
        add(userKnownHosts, true);
        for (Path f : extraFiles) {
            if (!Files.isReadable(f)) {
                throw new IOException("--known-hosts " + f + ": file not found or not readable");
            }
            add(f, false);
        }
    }

    private void add(Path file, boolean userFile) throws IOException {
        sources.add(new Source(file, userFile));
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                index.add(line, file.toString());
            }
        }
    }

    /** A fresh verifier for one connection: it remembers why it refused, so the error can say so. */
    public Check newCheck() {
        return new Check();
    }

    /** The per-connection sshj verifier; {@link #rejection()} is set when it refused the key. */
    public final class Check implements HostKeyVerifier {
        private volatile Rejection rejection;
        private volatile boolean consulted;

        @Override
        public boolean verify(String hostname, int port, PublicKey key) {
            consulted = true;
            Rejection r = HostKeyPolicy.this.verify(hostname, port, key);
            rejection = r;
            return r == null;
        }

        @Override
        public List<String> findExistingAlgorithms(String hostname, int port) {
            return knownAlgorithms(hostname, port);
        }

        public Rejection rejection() {
            return rejection;
        }

        /** True once the server's key reached us: a failure before that is a network/handshake failure. */
        public boolean consulted() {
            return consulted;
        }
    }

    /** @return null when the key is trusted, else why not */
    Rejection verify(String hostname, int port, PublicKey offered) {
        return verify(hostname, port, offered, acceptNew);
    }

    private Rejection verify(String hostname, int port, PublicKey offered, boolean mayRecord) {
        String name = HostKeys.knownHostsName(hostname, port);
        PublicKey key = HostKeys.plainKey(offered);
        String type = HostKeys.typeName(key);
        String fp = type + " " + HostKeys.sha256Fingerprint(key);
        KeyType keyType = KeyType.fromKey(offered);
        byte[] blob = HostKeys.blob(key);
        List<KnownHostsIndex.Line> lines = index.linesFor(name);
        for (KnownHostsIndex.Line l : lines) {
            if (l.revoked() && Arrays.equals(l.blob(), blob)) {
                return new Rejection("host key of " + name + " (" + fp + ") is marked @revoked in "
                        + l.file() + "; refusing to connect");
            }
        }
        boolean anyLine = false;
        for (KnownHostsIndex.Line l : lines) {
            if (l.revoked()) {
                continue;
            }
            anyLine = true;
            boolean typeFits = l.entry().getType() == keyType || (l.certAuthority() && keyType.getParent() != null);
            try {
                if (typeFits && l.entry().verify(offered)) {
                    return null;
                }
            } catch (IOException ex) {
                // an unreadable line never vouches for a key
            }
        }
        if (anyLine) {
            return new Rejection("REMOTE HOST KEY CHANGED for " + name + ": it offers " + fp
                    + ", which no known_hosts line for it carries (" + files() + "); this may be an attack."
                    + " If the change is expected, check the fingerprint out of band, remove the old line with"
                    + " ssh-keygen -R " + RemoteCommand.quote(name) + " (add -f FILE if it is in a --known-hosts file)"
                    + " and add the new key");
        }
        if (mayRecord) {
            try {
                return trustOnFirstUse(hostname, port, offered);
            } catch (IOException | RuntimeException ex) {
                return new Rejection("host key of " + name + " is unknown (" + fp
                        + ") and could not be recorded: " + ex.getMessage());
            }
        }
        return new Rejection("host key of " + name + " is unknown (" + fp + "; not in " + files()
                + "). Check this fingerprint out of band, then run: ssh-keyscan -t " + HostKeys.keyscanType(key)
                + (port == 22 ? "" : " -p " + port) + " " + hostname + " >> ~/.ssh/known_hosts"
                + " (or pass --accept-new-host-keys to trust hosts seen for the first time)");
    }

    List<String> knownAlgorithms(String hostname, int port) {
        Set<String> algs = new LinkedHashSet<>();
        for (KnownHostsIndex.Line l : index.linesFor(HostKeys.knownHostsName(hostname, port))) {
            if (l.certAuthority()) {
                // only the CA's key type is known, not the host key's: every certificate type may be offered
                for (KeyType candidate : KeyType.values()) {
                    if (candidate.getParent() != null) {
                        algs.add(candidate.toString());
                    }
                }
            } else {
                algs.add(l.entry().getType().toString());
            }
        }
        // sshj would offer literal ssh-rsa (SHA-1), which OpenSSH >= 8.8 refuses: prefer the SHA-2 names
        List<String> out = new ArrayList<>();
        for (String a : algs) {
            if (a.equals("ssh-rsa")) {
                out.addAll(Arrays.asList("rsa-sha2-512", "rsa-sha2-256"));
            }
            out.add(a);
        }
        return out;
    }

    private String files() {
        return String.join(", ", sources.stream().map(s -> s.file.toString()).toList());
    }

    /**
     * Appends one hashed line to the first writable file and makes it known to this run at once. Serialised, and
     * the host looked up again inside, so two connections to one new host record it once.
     */
    private synchronized Rejection trustOnFirstUse(String hostname, int port, PublicKey offered) throws IOException {
        String name = HostKeys.knownHostsName(hostname, port);
        if (index.linesFor(name).stream().anyMatch(l -> !l.revoked())) {
            return verify(hostname, port, offered, false);
        }
        String line = HostKeys.hashedLine(name, HostKeys.plainKey(offered));
        IOException first = null;
        for (Source s : sources) {
            try {
                append(s.file, line, s.userFile);
                index.add(line, s.file.toString());
                return null;
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new IOException("no writable known_hosts file");
    }

    private static void append(Path file, String line, boolean create) throws IOException {
        if (!Files.exists(file)) {
            if (!create) {
                throw new IOException(file + " does not exist");
            }
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another ntpdeploy created it: append below
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            String text = line + "\n";
            long size = ch.size();
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.read(last, size - 1);
                if (last.get(0) != '\n') {
                    text = "\n" + text;
                }
            }
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            long at = size;
            while (buf.hasRemaining()) {
                at += ch.write(buf, at);
            }
            ch.force(false);
        }
    }
}
