package io.grove.runtime.files;

import io.grove.runtime.manifest.Manifest;

/**
 * An opened version: the index entry and its manifest (with the chunk keys needed to read it).
 *
 * @param version  the index entry
 * @param manifest the opened manifest
 */
public record FileContent(VersionInfo version, Manifest manifest) {
}
