/**
 * Everything that crosses SSH (sshj), behind the small {@link dev.ntpdeploy.transport.Connection} contract.
 *
 * <pre>{@code
 * // cli: @Mixin SshOptions ssh;   Main: Logging.configure(...) before anything logs
 * TransportOptions options = ssh.toTransportOptions();
 * SshDialer dialer = SshDialer.prepare(options);           // keys, secrets, prompts, host keys: once per run;
 *                                                           // throws only for run-level problems (bad --known-hosts)
 * try (Connection c = dialer.open(host)) {                  // one host; many at once: engine.Connector on FanOut
 *     ExecResult r = c.exec("ntpq -pn", null, options.commandTimeout());
 *     c.execPrivileged("systemctl restart ntpsec", null, options.commandTimeout());
 *     // scripts come from facts.RemoteScript; files are installed by apply's change unit (ops.ChangeUnit)
 * }
 * }</pre>
 *
 * <p>Every failure that concerns one host is a {@link dev.ntpdeploy.transport.TransportException} whose
 * message starts with the host's inventory name and is fit to show as is (it never holds a secret).
 * A command that ran and failed is an {@link dev.ntpdeploy.transport.ExecResult} with its exit code, not an exception.
 */
package dev.ntpdeploy.transport;
