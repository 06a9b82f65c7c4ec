package io.meridian.infra.cluster;

/** The Quarkus apps a region runs, with the Maven module each one is built in. */
public enum AppKind {
    GATEWAY("gateway", "region-gateway"),
    REPLICATOR("replicator", "replicator");

    private final String id;
    private final String module;

    AppKind(String id, String module) {
        this.id = id;
        this.module = module;
    }

    /** The name used in file names and messages: {@code gateway}, {@code replicator}. */
    public String id() {
        return id;
    }

    public String module() {
        return module;
    }
}
