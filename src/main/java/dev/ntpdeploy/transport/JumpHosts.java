package dev.ntpdeploy.transport;

import dev.ntpdeploy.inventory.ConnectionSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The jump-host connections of one run: each bastion is logged in to once and every host behind it tunnels through
 * that one connection (as ssh's ControlMaster would), instead of one bastion login per host, which a bastion's
 * MaxStartups would throttle at --forks 50. A connection is closed when the last host using it closes; one that was
 * lost is opened anew for the hosts that come after.
 */
final class JumpHosts<C extends JumpHosts.Link> {

    /** What identifies a bastion login: where, as whom, with which keys. */
    record Hop(String address, int port, String user, Optional<Path> keyFile, boolean identitiesOnly) {
        static Hop of(ConnectionSpec spec) {
            return new Hop(spec.address(), spec.port(), spec.user(), spec.keyFile(), spec.identitiesOnly());
        }
    }

    /** A bastion's connection as this class needs it (an {@link SshConnection}; a fake in tests). */
    interface Link {
        /** Still connected and logged in: worth sharing with one more host. */
        boolean isUsable();

        void close();
    }

    /** Opens a bastion's connection; its exception's message says why, without a host name in front. */
    @FunctionalInterface
    interface Opener<C> {
        C open(Hop hop) throws TransportException;
    }

    /** One host's use of a bastion connection: release it when the host's connection closes. */
    final class Lease {
        private final Shared shared;
        private boolean released;

        private Lease(Shared shared) {
            this.shared = shared;
        }

        C connection() {
            return shared.connection.join();
        }

        void release() {
            synchronized (JumpHosts.this) {
                if (released) {
                    return;
                }
                released = true;
                if (--shared.users > 0) {
                    return;
                }
                if (open.get(shared.hop) == shared) {
                    open.remove(shared.hop);
                }
            }
            shared.connection.join().close();
        }
    }

    private final class Shared {
        final Hop hop;
        final CompletableFuture<C> connection = new CompletableFuture<>();
        int users;

        Shared(Hop hop) {
            this.hop = hop;
        }
    }

    private final Map<Hop, Shared> open = new HashMap<>();

    /**
     * The bastion's connection for one more host: the open one, or one opened now (hosts asking meanwhile wait for
     * it and share its outcome).
     *
     * @throws TransportException why the bastion could not be reached or logged in to
     */
    Lease acquire(Hop hop, Opener<C> opener) throws TransportException {
        Shared shared;
        boolean mine = false;
        synchronized (this) {
            shared = open.get(hop);
            if (shared != null && shared.connection.isDone() && !shared.connection.isCompletedExceptionally()
                    && !shared.connection.join().isUsable()) {
                open.remove(hop); // lost: its users release it when they close; the next hosts get a new one
                shared = null;
            }
            if (shared == null) {
                shared = new Shared(hop);
                open.put(hop, shared);
                mine = true;
            }
            shared.users++;
        }
        if (mine) {
            try {
                shared.connection.complete(opener.open(hop));
            } catch (TransportException | RuntimeException e) {
                synchronized (this) {
                    open.remove(hop, shared); // the next host tries again
                }
                shared.connection.completeExceptionally(e);
            }
        }
        try {
            shared.connection.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp(shared);
            throw new TransportException("interrupted while connecting to the jump host");
        } catch (ExecutionException e) {
            giveUp(shared);
            if (e.getCause() instanceof TransportException te) {
                throw te;
            }
            throw (RuntimeException) e.getCause();
        }
        return new Lease(shared);
    }

    /** A host that waited and got no connection: it holds no lease; the last one out closes what did open. */
    private void giveUp(Shared shared) {
        synchronized (this) {
            if (--shared.users > 0 || !shared.connection.isDone() || shared.connection.isCompletedExceptionally()) {
                return;
            }
            open.remove(shared.hop, shared);
        }
        shared.connection.join().close();
    }
}
