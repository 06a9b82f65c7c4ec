package io.meridian.infra.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisNodeTest {

    @Test
    void start_freePort_answersCommands() throws IOException {
        RedisNode node = RedisNode.start();
        try {
            assertThat(node.isRunning()).isTrue();
            assertThat(node.uri()).isEqualTo("redis://127.0.0.1:" + node.port());
            assertThat(command(node.port(), "SET k v")).isEqualTo("+OK");
            assertThat(command(node.port(), "GET k")).isEqualTo("$1");
        } finally {
            node.stop();
        }
    }

    @Test
    void stop_running_closesPortAndProcess() {
        RedisNode node = RedisNode.start();
        ProcessHandle handle = ProcessHandle.of(node.pid()).orElseThrow();

        node.stop();

        assertThat(node.isRunning()).isFalse();
        assertThat(LoopbackPorts.isOpen(node.port())).isFalse();
        assertThat(handle.isAlive()).isFalse();
    }

    @Test
    void restart_afterKill_comesBackOnSamePortEmpty() throws IOException {
        RedisNode node = RedisNode.start();
        try {
            int port = node.port();
            command(port, "SET k v");
            node.kill();
            assertThat(LoopbackPorts.isOpen(port)).isFalse();

            node.restart();

            assertThat(node.port()).isEqualTo(port);
            assertThat(command(port, "EXISTS k")).isEqualTo(":0");
        } finally {
            node.stop();
        }
    }

    @Test
    void start_extraConfig_isApplied() throws IOException {
        RedisNode node = RedisNode.start(0, List.of("maxmemory-policy allkeys-lru", "--hz 20"));
        try {
            assertThat(command(node.port(), "CONFIG GET hz")).isEqualTo("*2");
        } finally {
            node.stop();
        }
    }

    /** Sends an inline command and returns the first line of the reply. */
    private static String command(int port, String inline) throws IOException {
        try (Socket socket = new Socket(LoopbackPorts.HOST, port)) {
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\r' && c != -1; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
