package io.spellci.core.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RotationMessageTest {
    @Test
    void anApiMessageEndsItsSentenceBeforeTheNextOne() {
        // "... ask an admin of 'globex' to add alice to the organization The new token 'ci-r...' was deleted again."
        assertThat(Rotation.sentence("ask an admin to add alice to the organization"))
                .isEqualTo("ask an admin to add alice to the organization.");
        assertThat(Rotation.sentence("HTTP 503 (gave up after 3 attempts).")).isEqualTo("HTTP 503 (gave up after 3 attempts).");
    }
}
