package io.grove.runtime.cell;

import io.grove.api.CellId;
import io.grove.runtime.crypto.Signatures;
import io.grove.runtime.io.DurableFiles;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A cell's secret keys: the Ed25519 identity key (signing), the X25519 key (key agreement, for wrapping keys and
 * chat) and the 256-bit master key (derives chunk keys and the chunking gear table; wraps file keys).
 *
 * <p>On disk, in {@code keys/}, all mode 0600: {@code ed25519.pem} and {@code x25519.pem} as PKCS#8 PEM (readable
 * by {@code openssl pkey}), {@code master.key} as one line of base64. Loading refuses files others can read.
 */
public final class CellKeys {
    static final String SIGNING_FILE = "ed25519.pem";
    static final String AGREEMENT_FILE = "x25519.pem";
    static final String MASTER_FILE = "master.key";
    private static final int MASTER_KEY_BYTES = 32;
    private static final ASN1ObjectIdentifier ED25519_OID = new ASN1ObjectIdentifier("1.3.101.112"); // RFC 8410
    private static final ASN1ObjectIdentifier X25519_OID = new ASN1ObjectIdentifier("1.3.101.110");

    private final Ed25519PrivateKeyParameters signing;
    private final X25519PrivateKeyParameters agreement;
    private final byte[] masterKey;
    private final CellId cellId;

    private CellKeys(Ed25519PrivateKeyParameters signing, X25519PrivateKeyParameters agreement, byte[] masterKey) {
        this.signing = signing;
        this.agreement = agreement;
        this.masterKey = masterKey.clone();
        this.cellId = CellId.ofPublicKey(signing.generatePublicKey().getEncoded());
    }

    /** Creates the key files that are missing in {@code keysDir}; existing keys are never replaced. */
    static void createMissing(Path keysDir, boolean hasData, SecureRandom random) throws IOException {
        DurableFiles.createPrivateDirectories(keysDir);
        Path signingFile = keysDir.resolve(SIGNING_FILE);
        if (!Files.exists(signingFile)) {
            DurableFiles.createPrivate(signingFile, pem(new Ed25519PrivateKeyParameters(random)));
        }
        Path agreementFile = keysDir.resolve(AGREEMENT_FILE);
        if (!Files.exists(agreementFile)) {
            DurableFiles.createPrivate(agreementFile, pem(new X25519PrivateKeyParameters(random)));
        }
        Path masterFile = keysDir.resolve(MASTER_FILE);
        if (!Files.exists(masterFile)) {
            if (hasData) {
                throw new CellFolderException(masterFile + " is missing but this cell already holds data; "
                        + "restore the key from your backup (a new key could not read the data)");
            }
            byte[] key = new byte[MASTER_KEY_BYTES];
            random.nextBytes(key);
            DurableFiles.createPrivate(masterFile,
                    (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Loads the keys, refusing missing, malformed or shared key files. */
    static CellKeys load(Path keysDir) {
        Ed25519PrivateKeyParameters signing = readPem(keysDir.resolve(SIGNING_FILE), Ed25519PrivateKeyParameters.class);
        X25519PrivateKeyParameters agreement = readPem(keysDir.resolve(AGREEMENT_FILE), X25519PrivateKeyParameters.class);
        Path masterFile = keysDir.resolve(MASTER_FILE);
        byte[] master;
        try {
            master = Base64.getDecoder().decode(new String(readPrivate(masterFile), StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new CellFolderException(masterFile + " is not a base64 key; restore it from your backup");
        }
        if (master.length != MASTER_KEY_BYTES) {
            throw new CellFolderException(masterFile + " holds " + master.length + " bytes, not 32; restore it from your backup");
        }
        return new CellKeys(signing, agreement, master);
    }

    /** This cell's id, derived from the Ed25519 public key. */
    public CellId cellId() {
        return cellId;
    }

    /** The raw 32-byte Ed25519 public key. */
    public byte[] signingPublicKey() {
        return signing.generatePublicKey().getEncoded();
    }

    /** The raw 32-byte X25519 public key. */
    public byte[] agreementPublicKey() {
        return agreement.generatePublicKey().getEncoded();
    }

    /** A copy of the master key; callers zero it when done where they can. */
    public byte[] masterKey() {
        return masterKey.clone();
    }

    /** Signs {@code payload} under a domain label with the cell's Ed25519 key (see {@link Signatures}). */
    public byte[] sign(String label, byte[] payload) {
        byte[] message = Signatures.message(label, payload);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, signing);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** The X25519 shared secret with a peer's public key. */
    public byte[] agree(byte[] peerAgreementPublicKey) {
        byte[] secret = new byte[X25519PrivateKeyParameters.SECRET_SIZE];
        agreement.generateSecret(new org.bouncycastle.crypto.params.X25519PublicKeyParameters(peerAgreementPublicKey, 0),
                secret, 0);
        return secret;
    }

    @Override
    public String toString() {
        return "CellKeys[" + cellId.shortForm() + "]";
    }

    /** PKCS#8 v1 (RFC 8410 without the optional public key, which OpenSSL 3.0 does not read). */
    private static byte[] pem(AsymmetricKeyParameter key) throws IOException {
        PrivateKeyInfo info = key instanceof Ed25519PrivateKeyParameters ed
                ? new PrivateKeyInfo(new AlgorithmIdentifier(ED25519_OID), new DEROctetString(ed.getEncoded()))
                : new PrivateKeyInfo(new AlgorithmIdentifier(X25519_OID),
                        new DEROctetString(((X25519PrivateKeyParameters) key).getEncoded()));
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(info.getEncoded());
        return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static <T> T readPem(Path file, Class<T> type) {
        String text = new String(readPrivate(file), StandardCharsets.US_ASCII);
        String body = text.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(Base64.getMimeDecoder().decode(body));
            if (!type.isInstance(key)) {
                throw new CellFolderException(file + " holds a " + key.getClass().getSimpleName().replace("PrivateKeyParameters", "")
                        + " key where a " + type.getSimpleName().replace("PrivateKeyParameters", "") + " key belongs");
            }
            return type.cast(key);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new CellFolderException(file + " is not a PKCS#8 PEM private key; restore it from your backup");
        }
    }

    private static byte[] readPrivate(Path file) {
        try {
            if (!Files.exists(file)) {
                throw new CellFolderException(file + " is missing; run 'grove init' or restore it from your backup");
            }
            if (DurableFiles.isShared(file)) {
                throw new CellFolderException(file + " has mode " + DurableFiles.mode(file)
                        + " but must be readable by its owner only; run: chmod 600 " + file);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CellFolderException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
