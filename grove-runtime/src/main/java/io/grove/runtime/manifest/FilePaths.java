package io.grove.runtime.manifest;

/**
 * The rules for file paths in a Grove namespace: relative, {@code /}-separated, no empty, {@code .} or {@code ..}
 * segments, no control characters or backslashes, at most 1024 bytes of UTF-8 and 255 per segment. Checked wherever
 * a path enters (REST, CLI, peers, watched folders) so a path can never escape a folder when files are restored.
 */
public final class FilePaths {
    /** The longest path, in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024;
    /** The longest segment, in UTF-8 bytes (the common file-system limit). */
    public static final int MAX_SEGMENT_BYTES = 255;

    private FilePaths() {
    }

    /** Returns {@code path} if it is valid, else throws {@link InvalidPathException} saying why. */
    public static String check(String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidPathException("the path is empty");
        }
        if (utf8Length(path) > MAX_BYTES) {
            throw new InvalidPathException("the path is longer than " + MAX_BYTES + " bytes");
        }
        if (path.startsWith("/")) {
            throw new InvalidPathException("the path must be relative (no leading '/')");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new InvalidPathException("the path contains a control character at position " + i);
            }
            if (c == '\\') {
                throw new InvalidPathException("the path contains a backslash; use '/' to separate folders");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < path.length()
                    && Character.isLowSurrogate(path.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(path.charAt(i - 1)))) {
                throw new InvalidPathException("the path is not valid Unicode");
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new InvalidPathException("the path has an empty segment ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidPathException("the path may not contain '.' or '..' segments");
            }
            if (utf8Length(segment) > MAX_SEGMENT_BYTES) {
                throw new InvalidPathException("a path segment is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        return path;
    }

    /** Checks a listing prefix: empty, or a valid path optionally ending in {@code /}. */
    public static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
