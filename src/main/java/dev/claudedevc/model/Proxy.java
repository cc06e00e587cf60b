package dev.claudedevc.model;

import java.util.List;
import java.util.Optional;

/**
 * Outbound proxy settings, passed to the image build and the running container.
 *
 * @param http    proxy URL for http
 * @param https   proxy URL for https
 * @param noProxy hosts and suffixes that bypass the proxy
 */
public record Proxy(Optional<String> http, Optional<String> https, List<String> noProxy) {

    public Proxy {
        noProxy = List.copyOf(noProxy);
    }
}
