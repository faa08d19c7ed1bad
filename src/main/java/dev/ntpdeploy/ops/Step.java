package dev.ntpdeploy.ops;

/** One change a host plan needs; operations are named for the state they ensure. */
public sealed interface Step permits PutFile, RestartService, SoleDaemon {

    /** A short human phrase for output ("uploaded /etc/ntpsec/ntp.conf"). */
    String describe();
}
