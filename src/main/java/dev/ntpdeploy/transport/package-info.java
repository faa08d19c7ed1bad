/**
 * Everything that crosses SSH (sshj), behind the small {@link dev.ntpdeploy.transport.Connection} contract.
 *
 * <pre>{@code
 * // cli: @Mixin SshOptions ssh;   Main: SshLogging.configure(verbose) before anything logs
 * TransportOptions options = ssh.toTransportOptions();
 * try (Fleet fleet = Fleet.open(hosts, options)) {          // parallel, --forks at a time; throws only for
 *     fleet.unreachable().forEach((host, why) -> ...);        // run-level problems (bad --known-hosts, no tty)
 *     for (var e : fleet.connected().entrySet()) {
 *         Connection c = e.getValue();
 *         ExecResult r = c.exec("ntpq -pn", null, options.commandTimeout());
 *         RemoteFiles.RemoteFile now = RemoteFiles.read(c, "/etc/ntpsec/ntp.conf");
 *         Optional<String> backup = RemoteFiles.install(c, "/etc/ntpsec/ntp.conf", bytes, "0644", "root", "root", true, 5);
 *         c.execPrivileged("systemctl restart ntpsec", null, options.commandTimeout());
 *     }
 * }
 * }</pre>
 *
 * <p>Every failure that concerns one host is a {@link dev.ntpdeploy.transport.TransportException} whose
 * message starts with the host's inventory name and is fit to show as is (it never holds a secret).
 * {@link dev.ntpdeploy.transport.RemoteFiles.RemoteFileException} means the connection is fine but the
 * remote command failed.
 */
package dev.ntpdeploy.transport;
