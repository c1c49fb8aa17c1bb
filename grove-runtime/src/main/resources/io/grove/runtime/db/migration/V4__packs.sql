-- Small chunks of archives are packed side by side into pack objects (docs/storage.md, "Packs"); a pack is an
-- ordinary chunk to the store and lists in `chunks` with its whole size. This table says where each packed blob lies,
-- so that a later archive holding the same small content references it instead of storing it again. Rows are
-- written in the transaction that commits the versions referencing the pack, and removed when the collector deletes
-- the pack; like `chunks`, the table can be rebuilt from the manifests (each packed entry names blob, pack, offset).

-- blob_id = lowercase hex SHA-256 of the blob's sealed bytes; pack_offset and length locate them in the pack.
CREATE TABLE packed_blobs (
    blob_id     TEXT    PRIMARY KEY,
    pack_id     TEXT    NOT NULL,
    pack_offset INTEGER NOT NULL,
    length      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX packed_blobs_by_pack ON packed_blobs (pack_id);
