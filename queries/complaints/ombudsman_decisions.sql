-- Complaints referred to an Ombudsman (Local Government and Social Care Ombudsman or Housing
-- Ombudsman) and the decisions made, by the date of the council's last response before the
-- referral (the extract holds no referral or decision date). Decisions pending are counted
-- as 'pending'.
-- Grain: one row per Ombudsman and decision.
-- Parameters: $start, $end (council response between), $services, $channels (lists or NULL).
with referred as (
    select
        ombudsman,
        coalesce(ombudsman_outcome, 'pending') as decision
    from complaints
    where
        coalesce(ombudsman, 'none') != 'none'
        and responded_on between $start and $end
        and in_scope(service, $services)
        and in_scope(channel, $channels)
    -- one referral per complaint, should both stages carry it: the later stage
    qualify row_number() over (partition by complaint_id order by stage desc) = 1
),

final as (
    select
        ombudsman,
        decision,
        count(*) as complaints
    from referred
    group by ombudsman, decision
)

select * from final
order by ombudsman, decision
