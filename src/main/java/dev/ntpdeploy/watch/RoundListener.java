package dev.ntpdeploy.watch;

/** Something that acts on each finished round (metrics, history, change log). Called on the loop thread, in order. */
@FunctionalInterface
public interface RoundListener {

    void onRound(RoundResult round) throws Exception;
}
