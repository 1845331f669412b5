package io.spellci.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "localhost.", "spell.localhost", "127.0.0.1", "127.8.9.10",
        "127.10.20.30", "::1", "[::1]", "[0::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "[::ffff:127.0.0.1]"})
    void loopbackHostsAreRecognisedInEverySpelling(String host) {
        assertThat(HostName.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.spell.test", "128.0.0.1", "::2", "localhost.example.com", "localhost.evil.com",
        "127.0.0.1.evil.com", "127.999.0.1", "10.0.0.1", "[fe80::1]", "::ffff:10.0.0.1", ""})
    void otherHostsAreNotLoopback(String host) {
        assertThat(HostName.isLoopback(host)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"API.Example.COM.,api.example.com", "[::1],::1", " localhost.. ,localhost", "[FE80::1],fe80::1"})
    void normalizesCaseBracketsAndTrailingDots(String host, String normal) {
        assertThat(HostName.normalize(host)).isEqualTo(normal);
    }
}
