package io.meridian.infra.drills;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Empties the seeded region's cache Redis ({@code FLUSHALL}, what a restart without persistence or a replaced node
 * leaves): its copies, tombstones, purge records and control state are gone at once. The region's replicator notices
 * the missing cache id, rebuilds the cache from the control topic and the retained logs, and the region answers for
 * its keys again; nothing acknowledged may be lost or resurrected meanwhile. The heal does nothing: the rebuild is
 * the region's own.
 */
final class RedisLossFault implements DrillFault {

    private final DrillCluster cluster;
    private final String region;

    RedisLossFault(DrillCluster cluster, String region) {
        this.cluster = cluster;
        this.region = region;
    }

    @Override
    public String description() {
        return "empty " + region + "'s cache Redis (FLUSHALL): the region rebuilds it from its control topic and the"
                + " retained logs";
    }

    @Override
    public void inject(List<String> violations) throws IOException {
        for (String node : cluster.region(region).redis()) {
            flush(node);
        }
    }

    @Override
    public void heal(List<String> violations) {
        // Nothing to undo: the replicator rebuilds the cache by itself.
    }

    @Override
    public boolean recoversFromInjection() {
        return true;
    }

    @Override
    public boolean mustShowInStatus() {
        return false;
    }

    @Override
    public String detects() {
        return "flush to first lag or unreachable status (none needed: the rebuild may be quicker than a look)";
    }

    /** Sends {@code FLUSHALL} to one node and reads its {@code +OK}. */
    static void flush(String hostPort) throws IOException {
        String[] parts = hostPort.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])), 2_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[64];
            int read = in.read(reply);
            String answer = read <= 0 ? "" : new String(reply, 0, read, StandardCharsets.US_ASCII).trim();
            if (!answer.startsWith("+OK")) {
                throw new IOException("FLUSHALL on " + hostPort + " answered '" + answer + "'");
            }
        }
    }
}
