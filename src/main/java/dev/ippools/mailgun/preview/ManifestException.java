package dev.ippools.mailgun.preview;

/** A manifest file or the account Secret file cannot be read at all. The message names the file. */
public final class ManifestException extends RuntimeException {

    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
