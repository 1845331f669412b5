package io.spellci.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonObjectTest {

    @Test
    void readsNestedObjectsListsAndScalars() throws IOException {
        JsonObject json = JsonObject.parse("{\"user\": {\"user_name\": \"alice\", \"is_admin\": true, \"n\": 3,"
                + " \"f\": 1.5, \"nothing\": null, \"memberships\": [{\"organization\": {\"name\": \"acme\"}}, 7]}}");
        JsonObject user = json.object("user");
        assertThat(user.text("user_name")).isEqualTo("alice");
        assertThat(user.bool("is_admin")).isTrue();
        assertThat(user.text("n")).isEqualTo("3");
        assertThat(user.text("f")).isEqualTo("1.5");
        assertThat(user.text("nothing")).isNull();
        assertThat(user.has("nothing")).isTrue();
        assertThat(user.text("memberships")).as("a list is not text").isNull();
        assertThat(user.list("memberships")).hasSize(2);
        assertThat(((JsonObject) user.list("memberships").get(0)).object("organization").text("name"))
                .isEqualTo("acme");
        assertThat(user.object("missing")).isNull();
        assertThat(user.bool("missing")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1]", "\"text\"", "42", "null"})
    void wellFormedNonObjectsAreToldApart(String text) {
        assertThatThrownBy(() -> JsonObject.parse(text)).isInstanceOf(JsonObject.NotAnObjectException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\": }", "{\"a\": 1} {\"b\": 2}", "{'a': 1}", "not json"})
    void malformedInputIsAnIoException(String text) {
        assertThatThrownBy(() -> JsonObject.parse(text)).isInstanceOf(IOException.class)
                .isNotInstanceOf(JsonObject.NotAnObjectException.class);
    }

    @Test
    void writesAnEscapedOneFieldObject() throws IOException {
        String written = JsonObject.of("name", "a\"b\\c\nd é");
        assertThat(written).isEqualTo("{\"name\":\"a\\\"b\\\\c\\nd é\"}");
        assertThat(JsonObject.parse(written).text("name")).isEqualTo("a\"b\\c\nd é");
    }
}
