package io.spellci.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.spellci.core.api.ApiUrl;
import io.spellci.core.net.ProxySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The proxy examples of docs/cli.md and docs/github-action.md reach their API through the proxy, as their text says. */
class ProxyDocsTest {
    private static final Path ROOT = Path.of("..");

    private static String text(String file) throws IOException {
        return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static void assertProxied(String file, String block) {
        String proxy = first(block, "HTTPS_PROXY[=:] ?(\\S+)");
        String noProxy = first(block, "NO_PROXY[=:] ?(\\S+)");
        ApiUrl url = ApiUrl.of(first(block, "(?:--api-url|api-url:) (https://\\S+)"));
        String route = ProxySettings.fromEnvironment(Map.of("HTTPS_PROXY", proxy, "NO_PROXY", noProxy), "https")
                .describeRoute(url.host(), 443);
        // The text under the example promises "Reaching the API via the proxy ...", not a direct connection.
        assertThat(route).as(file + ": " + url + " with NO_PROXY=" + noProxy).startsWith("via the proxy " + proxy);
    }

    @Test
    void theCliProxyExampleUsesTheProxy() throws IOException {
        String doc = text("docs/cli.md");
        assertProxied("docs/cli.md", first(doc, "(?s)## Behind a proxy or a private CA\\n\\n```sh\\n(.*?)```"));
    }

    @Test
    void theActionProxyExampleUsesTheProxy() throws IOException {
        String doc = text("docs/github-action.md");
        assertProxied("docs/github-action.md", first(doc, "(?s)### Behind a proxy or a private CA\\n.*?```yaml\\n(.*?)```"));
    }
}
