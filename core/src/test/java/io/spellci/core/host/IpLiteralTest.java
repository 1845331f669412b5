package io.spellci.core.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.256", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "g::1", "a.b.c.d", ""})
    void malformedAddressesAreNotAddresses(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @Test
    void parsesBothFamiliesAndUnmapsIpv4MappedAddresses() {
        assertThat(IpLiteral.parse("10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(IpLiteral.parse("::ffff:10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(IpLiteral.parse("FE80::1")).isEqualTo(IpLiteral.parse("fe80::1")).hasSize(16);
        assertThat(IpLiteral.parse("fe80::1%eth0")).hasSize(16).startsWith((byte) 0xfe, (byte) 0x80).endsWith(1);
    }

    @Test
    void rangesCompareTheLeadingBitsOfOneFamily() {
        byte[] network = IpLiteral.parse("10.0.0.0");
        assertThat(IpLiteral.inRange(IpLiteral.parse("10.200.3.4"), network, 8)).isTrue();
        assertThat(IpLiteral.inRange(IpLiteral.parse("11.0.0.1"), network, 8)).isFalse();
        assertThat(IpLiteral.inRange(IpLiteral.parse("10.0.0.1"), IpLiteral.parse("10.0.0.0"), 31)).isTrue();
        assertThat(IpLiteral.inRange(IpLiteral.parse("::1"), network, 0)).isFalse();
    }
}
