-- Chunks other cells hold for this cell (holdings of kind 'c') that no version of this cell references and the
-- `chunks` table does not list: what an eager push leaves on its holder when the ingest then fails or the process
-- stops before the commit. first_seen: when a sync round first found the chunk unreferenced. Once that is at least
-- gc.grace-period ago, the round asks each holder to release its copy (docs/replication.md "Orphaned copies"). A row
-- goes when the chunk is referenced again or no holding of it is left.
CREATE TABLE orphan_copies (
    item_id    TEXT    PRIMARY KEY,
    first_seen INTEGER NOT NULL
) WITHOUT ROWID;
