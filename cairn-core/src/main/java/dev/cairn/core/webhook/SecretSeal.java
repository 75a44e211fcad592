package dev.cairn.core.webhook;

import dev.cairn.core.RegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets at rest. Signing needs the secret itself, so unlike a token it cannot be kept as a hash. With a key
 * (the operator's {@code CAIRN_WEBHOOKS_SECRET_KEY}, 32 bytes) a secret is stored sealed with AES-256-GCM, so a copy
 * of the database alone does not let anyone forge deliveries; without one it is stored as given. A sealed secret
 * names its key by a fingerprint, so a server with no key or another key says which key it needs.
 *
 * <p>Stored form: {@code sealed:v1:<key fingerprint>:<base64url of nonce and ciphertext>}. Secrets given by users may
 * not start with {@code sealed:}, so a stored secret is sealed exactly when it has the prefix.
 */
public final class SecretSeal {
    /** Marks a sealed secret; refused at the start of secrets users give. */
    public static final String MARK = "sealed:";
    /** The environment variable that holds the key, named in errors. */
    public static final String KEY_VARIABLE = "CAIRN_WEBHOOKS_SECRET_KEY";
    public static final int KEY_BYTES = 32;
    private static final String PREFIX = MARK + "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] CONTEXT = "cairn webhook secret".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    private SecretSeal(byte[] key) {
        this.key = key == null ? null : new SecretKeySpec(key, "AES");
        this.keyId = key == null ? null : fingerprint(key);
    }

    /** No key: secrets are stored as given, and sealed ones cannot be opened. */
    public static SecretSeal none() {
        return new SecretSeal(null);
    }

    /** Seals with {@code key}, which must be {@value #KEY_BYTES} bytes. */
    public static SecretSeal withKey(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a webhook secret key is " + KEY_BYTES + " bytes, not "
                    + (key == null ? 0 : key.length));
        }
        return new SecretSeal(key.clone());
    }

    /**
     * The key from its text in {@value #KEY_VARIABLE}: base64 of {@value #KEY_BYTES} random bytes, as
     * {@code openssl rand -base64 32} prints.
     */
    public static SecretSeal fromBase64(String text) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_VARIABLE + " is not base64: make one with "
                    + "`openssl rand -base64 32`");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(KEY_VARIABLE + " holds " + key.length + " bytes; it must be "
                    + KEY_BYTES + ": make one with `openssl rand -base64 32`");
        }
        return new SecretSeal(key);
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The key's fingerprint (the first 8 hex digits of its SHA-256), or null without a key. */
    public String keyId() {
        return keyId;
    }

    public static boolean isSealed(String stored) {
        return stored.startsWith(MARK);
    }

    /** Whether {@code stored} is sealed, and with this server's key. */
    public boolean sealedWithThisKey(String stored) {
        return keyId != null && stored.startsWith(PREFIX + keyId + ":");
    }

    /** The stored form of {@code secret}: sealed with the key, or as given without one. */
    public String seal(String secret) {
        if (key == null) {
            return secret;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed;
        try {
            sealed = crypt(Cipher.ENCRYPT_MODE, nonce, secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
        byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        return PREFIX + keyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(stored);
    }

    /**
     * The secret from its stored form. FAILED_PRECONDITION when it is sealed and this server has no key or another
     * one, or when it was altered: the message says which key it needs.
     */
    public String open(String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        String[] parts = stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()).split(":", 2) : new String[0];
        if (parts.length != 2) {
            throw RegistryException.precondition("the webhook's secret is sealed in a form this server does not know");
        }
        String needed = parts[0];
        if (key == null) {
            throw RegistryException.precondition("the webhook's secret is sealed with key " + needed
                    + ", and this server has no " + KEY_VARIABLE);
        }
        if (!needed.equals(keyId)) {
            throw RegistryException.precondition("the webhook's secret is sealed with key " + needed + ", and this "
                    + "server's " + KEY_VARIABLE + " is key " + keyId);
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(parts[1]);
            if (bytes.length <= NONCE_BYTES) {
                throw new IllegalArgumentException("too short");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte[] nonce = new byte[NONCE_BYTES];
            buffer.get(nonce);
            byte[] sealed = new byte[buffer.remaining()];
            buffer.get(sealed);
            return new String(crypt(Cipher.DECRYPT_MODE, nonce, sealed), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) { // not base64, or the tag does not match
            throw RegistryException.precondition("the webhook's sealed secret does not open with key " + keyId
                    + ": it was altered");
        }
    }

    private byte[] crypt(int mode, byte[] nonce, byte[] input) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(CONTEXT);
        return cipher.doFinal(input);
    }

    private static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Two seals are equal when they have the same key, or none. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SecretSeal that && (key == null ? that.key == null
                : that.key != null && MessageDigest.isEqual(key.getEncoded(), that.key.getEncoded()));
    }

    @Override
    public int hashCode() {
        return keyId == null ? 0 : keyId.hashCode();
    }

    @Override
    public String toString() {
        return key == null ? "SecretSeal[no key]" : "SecretSeal[key " + keyId + "]";
    }
}
