package dev.cairn.core.webhook;

import dev.cairn.core.RegistryException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may post. A webhook makes the server send requests, so by default it may not reach the server's own
 * machine or its private network (loopback, site-local, link-local, unique-local IPv6, the wildcard and multicast
 * addresses): that would let an admin's typo, or a stolen admin token, probe what only the server can reach. Operators
 * whose receivers live there allow them ({@code --allow-private-webhooks}).
 */
public final class ReceiverAddresses {
    /** How an operator allows private receivers, for messages. */
    public static final String HOW_TO_ALLOW =
            "start the server with --allow-private-webhooks (CAIRN_WEBHOOKS_ALLOW_PRIVATE=true) to allow receivers on "
                    + "loopback and private addresses";

    private final boolean allowPrivate;

    public ReceiverAddresses(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL as given, checked to be an absolute http or https URL with a host. INVALID_ARGUMENT otherwise. */
    public static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw RegistryException.invalid("url is required: the http or https URL deliveries are posted to");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
                throw RegistryException.invalid("url '" + url + "' must be an absolute http or https URL with a host");
            }
            if (uri.getRawUserInfo() != null) {
                throw RegistryException.invalid("url '" + url + "' must not carry a user name or password: "
                        + "receivers check the signature instead");
            }
            if (uri.getRawFragment() != null) {
                throw RegistryException.invalid("url '" + url + "' must not have a #fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw RegistryException.invalid("url '" + url + "' is not a URL: " + e.getReason());
        }
    }

    /**
     * Resolves the URL's host and refuses it (INVALID_ARGUMENT naming the address) when any of its addresses is
     * private and private receivers are not allowed, or when it does not resolve.
     */
    public void check(URI url) {
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw RegistryException.invalid("the host of webhook url " + url + " does not resolve: " + host);
        }
        if (allowPrivate) {
            return;
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                throw RegistryException.invalid("webhook url " + url + " resolves to " + address.getHostAddress()
                        + ", a loopback or private address; " + HOW_TO_ALLOW);
            }
        }
    }

    static boolean isPrivate(InetAddress address) {
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()
                || (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc);
    }
}
