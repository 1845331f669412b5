package io.spellci.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoProxyTest {

    @ParameterizedTest(name = "NO_PROXY={0} sends {1}:{2} direct: {3}")
    @CsvSource(delimiter = '|', value = {
        "*                      | api.example.com | 443 | true",
        "example.com            | example.com     | 443 | true",
        "example.com            | api.example.com | 443 | true",
        "example.com            | badexample.com  | 443 | false",
        ".example.com           | api.example.com | 443 | true",
        ".example.com           | example.com     | 443 | true",
        "*.example.com          | a.b.example.com | 443 | true",
        "API.Example.COM.       | api.example.com | 443 | true",
        "example.com            | API.EXAMPLE.COM.| 443 | true",
        "other.com, example.com | api.example.com | 443 | true",
        " other.com ,, x.org    | api.example.com | 443 | false",
        "api.example.com:443    | api.example.com | 443 | true",
        "api.example.com:8443   | api.example.com | 443 | false",
        "10.1.2.3               | 10.1.2.3        | 443 | true",
        "10.1.2.3               | 10.1.2.4        | 443 | false",
        "10.1.2.3:8443          | 10.1.2.3        | 8443| true",
        "10.0.0.0/8             | 10.200.3.4      | 443 | true",
        "10.0.0.0/8             | 11.0.0.1        | 443 | false",
        "192.168.4.0/22         | 192.168.7.255   | 443 | true",
        "192.168.4.0/22         | 192.168.8.0     | 443 | false",
        "0.0.0.0/0              | 8.8.8.8         | 443 | true",
        "10.0.0.0/8             | ten.example.com | 443 | false",
        "fd00::/8               | [fd12:3456::1]  | 443 | true",
        "fd00::/8               | [fe80::1]       | 443 | false",
        "2001:db8::1            | [2001:DB8:0:0:0:0:0:1] | 443 | true",
        "[2001:db8::1]:8443     | [2001:db8::1]   | 8443| true",
        "[2001:db8::1]:8443     | [2001:db8::1]   | 443 | false",
        "::ffff:10.1.2.3        | 10.1.2.3        | 443 | true",
        "http://example.com     | example.com     | 443 | false",
        "<local>                | intranet        | 443 | false",
        "10.0.0.0/33            | 10.0.0.1        | 443 | false",
    })
    void matchesTheUsualForms(String noProxy, String host, int port, boolean direct) {
        assertThat(NoProxy.parse(noProxy).matches(host, port)).isEqualTo(direct);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ",", " , "})
    void emptyMatchesNothing(String value) {
        assertThat(NoProxy.parse(value).isEmpty()).isTrue();
        assertThat(NoProxy.parse(value).matches("api.example.com", 443)).isFalse();
    }
}
