package dev.ntpdeploy.transport;

import com.jcraft.jsch.Identity;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.KeyedAuthMethod;

/**
 * A key held by ssh-agent, offered to sshj as a publickey login whose signature the agent makes (sshj signs only
 * with private keys it holds, and its own agent method needs a library unmaintained since 2015).
 *
 * @param agent     the agent that holds it
 * @param identity  jsch's handle on the agent's key (public blob and comment; signs through the agent)
 * @param publicKey the public half, as sshj reads it
 */
record AgentKey(SshAgent agent, Identity identity, PublicKey publicKey) implements ClientKey {

    @Override
    public AuthMethod authMethod() {
        return new AgentAuth(this);
    }

    /** Public facts only: the key's type, never the comment (it may name a file or a person). */
    @Override
    public String toString() {
        return KeyType.fromKey(publicKey) + " key from " + agent;
    }

    /**
     * sshj's publickey login (KeyedAuthMethod: the query with the public key, the algorithm the server accepts,
     * rsa-sha2-512 before rsa-sha2-256 before ssh-rsa as sshj orders them) with the signature asked of the agent.
     */
    private static final class AgentAuth extends KeyedAuthMethod {
        private final AgentKey key;

        AgentAuth(AgentKey key) {
            super("publickey", new PublicOnly(key));
            this.key = key;
        }

        @Override
        public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
            if (cmd == Message.USERAUTH_60) { // SSH_MSG_USERAUTH_PK_OK: the server takes this key, sign
                params.getTransport().write(signedRequest());
            } else {
                super.handle(cmd, buf);
            }
        }

        @Override
        protected SSHPacket buildReq() throws UserAuthException {
            return request(false);
        }

        private SSHPacket request(boolean signed) throws UserAuthException {
            return putPubKey(super.buildReq().putBoolean(signed));
        }

        /** RFC 4252 section 7: the signature covers the session id and the request so far. */
        private SSHPacket signedRequest() throws UserAuthException, TransportException {
            SSHPacket req = request(true);
            byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(req).getCompactData();
            try {
                req.putString(SshAgent.sign(key.identity(), data, announcedAlgorithm(req)));
            } catch (dev.ntpdeploy.transport.TransportException | Buffer.BufferException e) {
                throw new UserAuthException(e.getMessage(), e);
            }
            return req;
        }

        /**
         * The algorithm the request names (KeyedAuthMethod picks it from the server's server-sig-algs and keeps the
         * choice private): the signature must be made with exactly that one.
         */
        private static String announcedAlgorithm(SSHPacket req) throws Buffer.BufferException {
            Buffer.PlainBuffer b = new Buffer.PlainBuffer(req.getCompactData());
            b.readByte(); // SSH_MSG_USERAUTH_REQUEST
            b.readString(); // user
            b.readString(); // service
            b.readString(); // "publickey"
            b.readBoolean(); // signed
            return b.readString();
        }
    }

    /** What KeyedAuthMethod asks of a key for the query: its public half; the private half stays in the agent. */
    private record PublicOnly(AgentKey key) implements KeyProvider {
        @Override
        public PrivateKey getPrivate() throws IOException {
            throw new IOException("the private key is held by ssh-agent");
        }

        @Override
        public PublicKey getPublic() {
            return key.publicKey();
        }

        @Override
        public KeyType getType() {
            return KeyType.fromKey(key.publicKey());
        }

        @Override
        public String toString() {
            return key.toString();
        }
    }
}
