-- A routing policy may block the AI calls it matches instead of routing them: the reason is quoted in each denial.
ALTER TABLE routing_policies
    ADD COLUMN block_reason text
        CONSTRAINT routing_policies_block_reason_length CHECK (char_length(block_reason) BETWEEN 1 AND 500);

-- The API never stored a policy without candidates; one written otherwise denied every call it matched ("names no
-- model of the catalog"), which is what a block does: it becomes one, saying why.
UPDATE routing_policies
SET block_reason = 'names no candidates (stored without any before routing policies could block)'
WHERE jsonb_array_length(candidates) = 0;

ALTER TABLE routing_policies
    ADD CONSTRAINT routing_policies_routes_or_blocks
        CHECK ((block_reason IS NULL) = (jsonb_array_length(candidates) > 0));
