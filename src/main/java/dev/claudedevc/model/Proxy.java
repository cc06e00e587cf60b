package dev.claudedevc.model;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

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

    /**
     * The proxy as environment variables, in both spellings (curl reads only the lower-case {@code http_proxy},
     * other tools only upper case), sorted by name.
     */
    public SortedMap<String, String> environment() {
        SortedMap<String, String> env = new TreeMap<>();
        http.ifPresent(url -> {
            env.put("HTTP_PROXY", url);
            env.put("http_proxy", url);
        });
        https.ifPresent(url -> {
            env.put("HTTPS_PROXY", url);
            env.put("https_proxy", url);
        });
        if (!noProxy.isEmpty()) {
            env.put("NO_PROXY", String.join(",", noProxy));
            env.put("no_proxy", String.join(",", noProxy));
        }
        return env;
    }
}
