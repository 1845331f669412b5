package io.spellci.fakeapi;

import java.time.Instant;

/**
 * What a {@link FakeSpellApi} knows about one access token, without its value (see
 * {@link FakeSpellApi#tokens(String)}). The value is never exposed after creation, as on Spell.
 *
 * @param userName the user the token belongs to
 * @param name the token's name, unique per user
 * @param createdAt when it was created
 * @param lastUsedAt when it last authenticated a request, or {@code null} when never
 */
public record FakeToken(String userName, String name, Instant createdAt, Instant lastUsedAt) {
}
