package dev.ntpdeploy;

/** ntpdeploy's version as the jar's manifest gives it, for --version and the metrics' build_info. */
public final class BuildVersion {

    /** What a build without a manifest (tests, an IDE, classes on the class path) reports. */
    public static final String DEVELOPMENT = "development";

    private BuildVersion() {
    }

    public static String get() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : DEVELOPMENT;
    }
}
