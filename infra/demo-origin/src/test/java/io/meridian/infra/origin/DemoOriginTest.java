package io.meridian.infra.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DemoOriginTest {

    @Test
    void idOf_takesTheKeysTrailingNumber() {
        assertThat(DemoOrigin.idOf("user:42")).contains(42L);
        assertThat(DemoOrigin.idOf("42")).contains(42L);
        assertThat(DemoOrigin.idOf("u7:tweet:17")).contains(17L);
        assertThat(DemoOrigin.idOf("user:abc")).isEqualTo(Optional.empty());
        assertThat(DemoOrigin.idOf("user42")).isEqualTo(Optional.empty());
    }

    @Test
    void generate_fillsBothTablesWithTheAskedRows() throws Exception {
        try (Connection database = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID())) {
            DemoOrigin.generate(database, 25, 40);

            try (ResultSet users = database.createStatement().executeQuery("SELECT COUNT(*) FROM users");
                    ResultSet tweets = database.createStatement().executeQuery("SELECT COUNT(*) FROM tweets")) {
                users.next();
                tweets.next();
                assertThat(users.getLong(1)).isEqualTo(25);
                assertThat(tweets.getLong(1)).isEqualTo(40);
            }
        }
    }
}
