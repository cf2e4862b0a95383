-- Complaint Handling Code timeliness at each stage, counted as the measures count it:
-- acknowledgement within 5 working days by the date received (once acknowledged or past the
-- 5 days); response on time without an extension by the date it was due, and with a
-- permitted extension by the extended date (once answered or past that date; withdrawn
-- complaints left out). Also: complaints received, extensions used and those longer than the
-- Code permits (of responses due with extension), and open complaints not yet due (pending).
-- Grain: one row per stage (1 and 2).
-- Parameters: $start, $end, $services, $channels (lists or NULL).
with stages as (
    select unnest([1, 2]) as stage
),

scoped as (
    select *
    from complaints_v
    where
        in_scope(service, $services)
        and in_scope(channel, $channels)
),

received as (
    select
        stage,
        count(*) as received,
        count(*) filter (
            where acknowledged_on is not null or as_at_date > ack_due_by
        ) as ack_due,
        count(*) filter (where ack_within_5) as ack_within_5,
        count(*) filter (where is_open and as_at_date <= extended_due_by) as pending
    from scoped
    where received_on between $start and $end
    group by stage
),

due as (
    select
        stage,
        count(*) as responses_due,
        count(*) filter (where responded_on <= due_by) as on_time
    from scoped
    where
        not is_withdrawn
        and due_on between $start and $end
        and (responded_on is not null or as_at_date > due_by)
    group by stage
),

due_extended as (
    select
        stage,
        count(*) as responses_due_with_extension,
        count(*) filter (where responded_on <= extended_due_by) as on_time_with_extension,
        count(*) filter (where extended_to is not null) as extended,
        count(*) filter (where extension_beyond_code) as extended_beyond_code
    from scoped
    where
        not is_withdrawn
        and extended_due_on between $start and $end
        and (responded_on is not null or as_at_date > extended_due_by)
    group by stage
),

final as (
    select
        s.stage,
        coalesce(r.received, 0) as received,
        coalesce(r.ack_within_5, 0) as ack_within_5,
        coalesce(r.ack_due, 0) as ack_due,
        coalesce(d.on_time, 0) as on_time,
        coalesce(d.responses_due, 0) as responses_due,
        coalesce(e.on_time_with_extension, 0) as on_time_with_extension,
        coalesce(e.responses_due_with_extension, 0) as responses_due_with_extension,
        coalesce(e.extended, 0) as extended,
        coalesce(e.extended_beyond_code, 0) as extended_beyond_code,
        coalesce(r.pending, 0) as pending
    from stages as s
    left join received as r on s.stage = r.stage
    left join due as d on s.stage = d.stage
    left join due_extended as e on s.stage = e.stage
)

select * from final
order by stage
