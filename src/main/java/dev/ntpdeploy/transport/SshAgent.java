package dev.ntpdeploy.transport;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.USocketFactory;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.schmizz.sshj.common.Buffer;

/**
 * The keys an ssh-agent holds, and signatures made by them, as ssh uses them: the private keys never leave the
 * agent. The protocol (draft-miller-ssh-agent: REQUEST_IDENTITIES, SIGN_REQUEST with the rsa-sha2 flags) is jsch's
 * agent client; the socket is Java's own unix-domain channel, so none of jsch's native socket libraries is needed.
 */
final class SshAgent {

    /** Where ssh finds its agent; ntpdeploy looks in the same place. */
    static final String ENV_AUTH_SOCK = "SSH_AUTH_SOCK";

    private final Path socket;
    private final IdentityRepository agent;

    private SshAgent(Path socket) {
        this.socket = socket;
        this.agent = new AgentIdentityRepository(new SSHAgentConnector(new JavaUnixSockets(), socket));
    }

    /** The agent {@code SSH_AUTH_SOCK} names, if it names one (nothing is contacted yet). */
    static Optional<SshAgent> fromEnvironment(Map<String, String> env) {
        String sock = env.get(ENV_AUTH_SOCK);
        return sock == null || sock.isBlank() ? Optional.empty() : Optional.of(new SshAgent(Path.of(sock)));
    }

    Path socket() {
        return socket;
    }

    /**
     * The keys the agent holds, in its order. Keys sshj has no type for (a FIDO security key, say) are skipped:
     * they could not sign a login here.
     *
     * @throws TransportException when the agent does not answer, naming the socket and why
     */
    List<AgentKey> keys() throws TransportException {
        // jsch's client reads a dead socket as an agent without keys: connect once first, to tell the two apart
        try (SocketChannel probe = new JavaUnixSockets().connect(socket)) {
            assert probe.isConnected();
        } catch (IOException | RuntimeException e) {
            throw new TransportException("ssh-agent at " + socket + " (" + ENV_AUTH_SOCK + ") does not answer: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        List<AgentKey> out = new ArrayList<>();
        for (Identity id : agent.getIdentities()) {
            byte[] blob = id.getPublicKeyBlob();
            PublicKey key;
            try {
                key = new Buffer.PlainBuffer(blob).readPublicKey();
            } catch (Buffer.BufferException | RuntimeException e) {
                continue;
            }
            out.add(new AgentKey(this, id, key));
        }
        return List.copyOf(out);
    }

    /**
     * Has the agent sign {@code data} with one of its keys.
     *
     * @param algorithm the SSH signature algorithm the server accepts (for RSA: rsa-sha2-512, rsa-sha2-256 or
     *                  ssh-rsa, which the agent is asked for by its flags)
     * @return the signature as SSH encodes it (algorithm name, then the signature blob)
     * @throws TransportException when the agent refuses (the key was removed, a confirmation was declined) or is gone
     */
    static byte[] sign(Identity key, byte[] data, String algorithm) throws TransportException {
        byte[] signature = key.getSignature(data, algorithm);
        if (signature == null) {
            throw new TransportException("ssh-agent did not sign with its key " + key.getAlgName()
                    + " (key removed from the agent, confirmation declined, or the agent is gone)");
        }
        return signature;
    }

    @Override
    public String toString() {
        return "ssh-agent at " + socket;
    }

    /** Unix-domain sockets through java.nio (Java 16+): no native library. */
    private static final class JavaUnixSockets implements USocketFactory {
        @Override
        public SocketChannel connect(Path path) throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public ServerSocketChannel bind(Path path) throws IOException {
            throw new UnsupportedOperationException("ntpdeploy never serves an agent");
        }
    }
}
