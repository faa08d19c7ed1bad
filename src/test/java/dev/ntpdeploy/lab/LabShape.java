package dev.ntpdeploy.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The lab an IT class needs, when it is not the default one (N ntpsec hosts). Host numbers are 1-based:
 * host 1 is the master of the generated inventory. E.g. {@code @LabShape(hosts = 4, chrony = {1, 3})}:
 * lab-h1 and lab-h3 run chrony, lab-h2 and lab-h4 ntpsec ({@code lab/fleet up 4 --chrony 1,3}).
 *
 * <p>{@link LabExtension} keeps one lab at a time under the run's LAB_ID: a class of another shape tears
 * the current lab down and brings up its own; {@link LabShapeOrder} runs the classes of the default shape
 * first and groups the others by shape, so each shape is brought up once.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface LabShape {

    /** Number of hosts; 0 = the default size ({@code ntpdeploy.lab.hosts} / {@code NTPDEPLOY_LAB_HOSTS}, 5). */
    int hosts() default 0;

    /** Hosts that run chrony instead of ntpsec ({@code --chrony}). */
    int[] chrony() default {};

    /** Hosts with both ntpsec and chrony installed ({@code --dual}); chrony runs if also in {@link #chrony()}. */
    int[] dual() default {};

    /** Hosts that run the systemd-timesyncd stand-in ({@code --timesyncd}). */
    int[] timesyncd() default {};
}
