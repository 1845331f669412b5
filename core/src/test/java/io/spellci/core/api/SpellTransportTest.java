package io.spellci.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpellTransportTest {
    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(SpellTransport.retryAfterNanos("3")).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        assertThat(SpellTransport.retryAfterNanos(null)).isEqualTo(-1);
        assertThat(SpellTransport.retryAfterNanos("soon")).isEqualTo(-1);
        assertThat(SpellTransport.retryAfterNanos("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
    }
}
