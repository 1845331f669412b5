package io.spellci.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spellci.core.InvalidInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxySettingsTest {
    static final String PASSWORD = "pr0xy-Pass-w0rd";

    static ProxySettings https(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ProxySettings.fromEnvironment(env, "https");
    }

    @Test
    void noVariablesMeansNoProxy() {
        ProxySettings none = https();
        assertThat(none.isSet()).isFalse();
        assertThat(none.isDirect("api.example.com", 443)).isTrue();
        assertThat(none.describeRoute("api.example.com", 443)).isEmpty();
    }

    @Test
    void httpsUrlsUseHttpsProxyAndHttpUrlsHttpProxy() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://secure.example:3128", "HTTP_PROXY", "plain.example:8080");
        ProxySettings forHttps = ProxySettings.fromEnvironment(env, "https");
        ProxySettings forHttp = ProxySettings.fromEnvironment(env, "HTTP");
        assertThat(forHttps.proxyUrl()).isEqualTo("http://secure.example:3128");
        assertThat(forHttps.variable()).isEqualTo("HTTPS_PROXY");
        assertThat(forHttp.proxyUrl()).isEqualTo("http://plain.example:8080");
        assertThat(forHttp.variable()).isEqualTo("HTTP_PROXY");
    }

    @Test
    void aBrokenProxyVariableOfTheOtherSchemeIsNotRead() {
        ProxySettings settings = https("HTTP_PROXY", "socks5://nope", "HTTPS_PROXY", "proxy.example:3128");
        assertThat(settings.proxyUrl()).isEqualTo("http://proxy.example:3128");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "lower wins over upper        | https_proxy | lower.example:1 | HTTPS_PROXY | upper.example:2 | http://lower.example:1 | https_proxy",
        "empty lower counts as unset  | https_proxy | ''              | HTTPS_PROXY | upper.example:2 | http://upper.example:2 | HTTPS_PROXY",
        "blank lower counts as unset  | https_proxy | '  '            | HTTPS_PROXY | upper.example:2 | http://upper.example:2 | HTTPS_PROXY",
    })
    void caseAndEmptiness(String name, String k1, String v1, String k2, String v2, String url, String variable) {
        ProxySettings settings = https(k1, v1, k2, v2);
        assertThat(settings.proxyUrl()).isEqualTo(url);
        assertThat(settings.variable()).isEqualTo(variable);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "http://proxy.example:3128       | http://proxy.example:3128",
        "HTTP://Proxy.Example:3128/      | http://proxy.example:3128",
        "proxy.example:3128              | http://proxy.example:3128",
        "proxy.example                   | http://proxy.example:80",
        "http://10.0.0.5:8080            | http://10.0.0.5:8080",
        "http://[fd00::5]:8080           | http://[fd00::5]:8080",
        "http://[FD00::5]:8080           | http://[fd00::5]:8080",
        "'  http://proxy.example:3128 '  | http://proxy.example:3128",
    })
    void acceptedForms(String value, String url) {
        ProxySettings settings = https("HTTPS_PROXY", value);
        assertThat(settings.proxyUrl()).isEqualTo(url);
        assertThat(settings.hasCredentials()).isFalse();
    }

    @Test
    void credentialsArePercentDecodedAndNeverPrinted() {
        ProxySettings settings = https("https_proxy", "http://ci%40corp:p%40ss:w%2Frd+%25@proxy.example:3128");
        assertThat(settings.user()).isEqualTo("ci@corp");
        assertThat(settings.password()).isEqualTo("p@ss:w/rd+%");
        assertThat(settings.proxyUrl()).isEqualTo("http://proxy.example:3128");
        assertThat(settings.toString()).doesNotContain("p@ss").doesNotContain("p%40ss").doesNotContain("ci@corp");
        assertThat(settings.describeRoute("api.example.com", 443))
                .isEqualTo("via the proxy http://proxy.example:3128 from https_proxy (with the user name and password"
                        + " given there)");
    }

    @Test
    void anUnencodedAtInThePasswordIsTakenAsCurlDoes() {
        ProxySettings settings = https("HTTPS_PROXY", "http://ci:p@ss@proxy.example:3128");
        assertThat(settings.user()).isEqualTo("ci");
        assertThat(settings.password()).isEqualTo("p@ss");
        assertThat(settings.host()).isEqualTo("proxy.example");
    }

    @Test
    void loopbackAndNoProxyHostsAreDirect() {
        ProxySettings settings = https("HTTPS_PROXY", "proxy.example:3128", "no_proxy", ".corp.example, 10.0.0.0/8",
                "NO_PROXY", "ignored.example");
        assertThat(settings.isDirect("127.0.0.1", 443)).isTrue();
        assertThat(settings.isDirect("localhost", 443)).isTrue();
        assertThat(settings.isDirect("[::1]", 443)).isTrue();
        assertThat(settings.isDirect("spell.corp.example", 443)).isTrue();
        assertThat(settings.isDirect("10.2.3.4", 443)).isTrue();
        assertThat(settings.isDirect("ignored.example", 443)).as("lower-case no_proxy wins").isFalse();
        assertThat(settings.isDirect("api.example.com", 443)).isFalse();
        assertThat(settings.describeRoute("spell.corp.example", 443))
                .isEqualTo("directly, as spell.corp.example matches no_proxy");
        assertThat(settings.describeRoute("127.0.0.1", 443)).contains("loopback");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://proxy.example:3128               | https://",
        "socks5://proxy.example:1080              | SOCKS",
        "socks5h://u:" + PASSWORD + "@proxy:1080  | SOCKS",
        "ftp://proxy.example                      | (ftp://)",
        "http://proxy.example:99999               | port",
        "http://proxy.example:abc                 | port",
        "http://:3128                             | no host",
        "http://u:" + PASSWORD + "@               | no host",
        "http://wpad.example/proxy.pac            | PAC",
        "http://u:pa/" + PASSWORD + "@proxy:3128  | %2F",
        "http://u:" + PASSWORD + "%zz@proxy:3128  | hex digits",
        "http://:" + PASSWORD + "@proxy:3128      | no user name",
        "http://prox y.example:3128               | characters",
        "http://[fd00::5:3128                     | closing ]",
        "http://[not-v6]:3128                     | IPv6",
    })
    void malformedValuesNameTheVariableAndNeverShowTheValue(String value, String says) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> https("HTTPS_PROXY", value));
        assertThat(e).as(value).isNotNull();
        assertThat(e.field()).isEqualTo("HTTPS_PROXY");
        assertThat(e.getMessage()).startsWith("HTTPS_PROXY ").contains(says).doesNotContain(PASSWORD)
                .doesNotContain(value.strip());
        assertThat(e.fix()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp", "gopher"})
    void onlyHttpAndHttpsSchemesAreAsked(String scheme) {
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> ProxySettings.fromEnvironment(Map.of(), scheme))).isNotNull();
    }
}
