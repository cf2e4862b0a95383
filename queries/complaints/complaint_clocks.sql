-- Every complaint at every stage with its Complaint Handling Code clocks, as complaints_v
-- works them out (working days; the day received is day 0): the rows behind the complaint
-- figures, and what tests compare with scorecard.complaints.clocks().
-- Grain: one row per complaint and stage.
-- Parameters: $services, $channels (lists, or NULL for all).
with scoped as (
    select *
    from complaints_v
    where
        in_scope(service, $services)
        and in_scope(channel, $channels)
),

final as (
    select
        complaint_id,
        stage,
        service,
        channel,
        received_on,
        acknowledged_on,
        extended_to,
        responded_on,
        outcome,
        category,
        contractor,
        ombudsman,
        ombudsman_outcome,
        refusal_reason,
        ack_due_on,
        due_on,
        permitted_due_on,
        extended_due_on,
        extension_beyond_code,
        ack_within_5,
        on_time,
        on_time_with_extension,
        is_open,
        overdue,
        as_at_date
    from scoped
)

select * from final
order by received_on, complaint_id, stage
