package io.meridian.infra.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The link proxy against a real echo server on loopback: open, cut, heal and delay. */
@Timeout(30)
class LinkProxyTest {

    private static final int READ_TIMEOUT_MS = 2_000;

    private ServerSocket echo;
    private LinkProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serveEcho, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = LinkProxy.start("a->b test", 0, echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void open_copiesBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
            assertThat(roundTrip(client, "again")).isEqualTo("again");
        }
        assertThat(proxy.condition()).isEqualTo(LinkProxy.Condition.OPEN);
    }

    @Test
    void cut_closesOpenConnections_andBlackHolesNewOnes() throws IOException {
        try (Socket before = connect()) {
            roundTrip(before, "warm");

            proxy.cut();

            assertThat(closedOrFails(before)).isTrue();
        }
        try (Socket during = connect()) {
            during.setSoTimeout(300);
            during.getOutputStream().write("lost".getBytes());
            assertThatThrownBy(() -> during.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(proxy.condition().toString()).isEqualTo("cut");
    }

    @Test
    void heal_closesHeldConnections_andTrafficFlowsAgain() throws IOException {
        proxy.cut();
        try (Socket held = connect()) {
            held.setSoTimeout(300);
            assertThatThrownBy(() -> held.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.heal();

            held.setSoTimeout(READ_TIMEOUT_MS);
            assertThat(closedOrFails(held)).isTrue();
        }
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "back")).isEqualTo("back");
        }
    }

    @Test
    void delay_holdsEachDirection() throws IOException {
        proxy.delay(Duration.ofMillis(150));
        try (Socket client = connect()) {
            long started = System.nanoTime();

            String answer = roundTrip(client, "slow");

            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(answer).isEqualTo("slow");
            assertThat(millis).isGreaterThanOrEqualTo(300);
        }
        assertThat(proxy.condition().toString()).isEqualTo("delayed 150 ms");
    }

    @Test
    void regionLinks_controlInterface_cutsAndHealsBothKindsOfOnePair() throws IOException {
        RegionLinks.Spec spec = new RegionLinks.Spec(List.of(
                new LinkSpec("a", "b", LinkSpec.HTTP, 0, echo.getLocalPort()),
                new LinkSpec("a", "b", LinkSpec.KAFKA, 0, echo.getLocalPort()),
                new LinkSpec("b", "a", LinkSpec.HTTP, 0, echo.getLocalPort())));
        try (RegionLinks links = RegionLinks.start(spec, 0)) {
            LinksControl control = new LinksControl("http://127.0.0.1:" + links.controlPort());

            RegionLinks.Status cut = control.cut("a", "b");

            assertThat(cut.links())
                    .extracting(RegionLinks.LinkStatus::condition)
                    .containsExactly("cut", "cut", "open");
            assertThat(control.delay("b", "a", Duration.ofMillis(20)).links())
                    .extracting(RegionLinks.LinkStatus::condition)
                    .containsExactly("cut", "cut", "delayed 20 ms");
            assertThat(control.healAll().links())
                    .extracting(RegionLinks.LinkStatus::condition)
                    .containsOnly("open");
            assertThatThrownBy(() -> control.cut("a", "nowhere")).hasMessageContaining("404");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes());
        socket.getOutputStream().flush();
        byte[] answer = socket.getInputStream().readNBytes(text.length());
        return new String(answer);
    }

    /** A connection the proxy closed reads end of stream or fails (reset), within the read timeout. */
    private static boolean closedOrFails(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket connection = echo.accept();
                Thread thread = new Thread(() -> copy(connection), "echo connection");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void copy(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            byte[] buffer = new byte[1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // The proxy closed the connection.
        }
    }
}
