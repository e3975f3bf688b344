-- A routing policy may block the AI calls it matches instead of routing them: the reason is quoted in each denial.
ALTER TABLE routing_policies
    ADD COLUMN block_reason text
        CONSTRAINT routing_policies_block_reason_length CHECK (char_length(block_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT routing_policies_routes_or_blocks
        CHECK ((block_reason IS NULL) = (jsonb_array_length(candidates) > 0));
