package io.spellci.core.net;

import java.net.ConnectException;

/**
 * The proxy refused the connection to the API (HTTP 407 or a refused CONNECT): nothing reached the API, and
 * trying again without changing the proxy settings cannot work.
 */
public final class ProxyRefusedException extends ConnectException {
    private static final long serialVersionUID = 1L;

    ProxyRefusedException(String message) {
        super(message);
    }
}
