-- Complaints with their Complaint Handling Code clocks, in working days (England and Wales
-- bank holidays excluded; the day a complaint is received is day 0).
--   acknowledge within 5 working days of receipt;
--   respond within 10 (stage 1) or 20 (stage 2) working days of acknowledgement, counted from
--   the acknowledgement deadline when a complaint was never acknowledged;
--   an extension may add up to 10 (stage 1) or 20 (stage 2) working days; a longer extension
--   only counts up to that limit.
-- A deadline is a working day; a reply by the day before the next working day (a Friday
-- deadline: by the Sunday) has taken no more working days, so it is in time (the *_by
-- columns), the same rule for acknowledgements and responses.
-- A complaint still open after a deadline is late against it; open and not yet due is pending.
create or replace table workdays as
select
    wd_index,
    date
from calendar
where is_working_day;

create or replace table complaints_v as
with clocks as (
    select
        c.*,
        cr.wd_index as received_wd,
        ca.wd_index as acknowledged_wd,
        case c.stage when 1 then 10 else 20 end as response_days,
        case c.stage when 1 then 10 else 20 end as extension_days
    from complaints as c
    inner join calendar as cr on c.received_on = cr.date
    left join calendar as ca on c.acknowledged_on = ca.date
),

deadlines as (
    select
        k.*,
        ack_due.date as ack_due_on,
        due.date as due_on,
        permitted.date as permitted_due_on
    from clocks as k
    inner join workdays as ack_due on k.received_wd + 5 = ack_due.wd_index
    inner join workdays as due
        on coalesce(k.acknowledged_wd, k.received_wd + 5) + k.response_days = due.wd_index
    inner join workdays as permitted
        on
            coalesce(k.acknowledged_wd, k.received_wd + 5) + k.response_days
            + k.extension_days = permitted.wd_index
),

extended as (
    select
        d.*,
        greatest(d.due_on, least(coalesce(d.extended_to, d.due_on), d.permitted_due_on))
            as extended_due_on
    from deadlines as d
),

final as (
    select
        e.*,
        ga.grace_until as ack_due_by,
        gd.grace_until as due_by,
        ge.grace_until as extended_due_by,
        e.extended_to > e.permitted_due_on as extension_beyond_code,
        e.acknowledged_on <= ga.grace_until as ack_within_5,
        e.responded_on <= gd.grace_until as on_time,
        e.responded_on <= ge.grace_until as on_time_with_extension,
        e.responded_on is null as is_open,
        coalesce(e.outcome, '') = 'withdrawn' as is_withdrawn,
        e.ombudsman is not null and e.ombudsman != 'none' as to_ombudsman,
        a.as_at_date
    from extended as e
    inner join calendar as ga on e.ack_due_on = ga.date
    inner join calendar as gd on e.due_on = gd.date
    inner join calendar as ge on e.extended_due_on = ge.date
    cross join as_at as a
)

select
    *,
    is_open and as_at_date > extended_due_by as overdue
from final
order by received_on, complaint_id, stage;

-- Each stage 1 complaint's journey: its stage 1 outcome, its stage 2 (if it was escalated)
-- and outcome, and an Ombudsman referral (from either stage) with the decision, as the
-- nodes of the flow diagram (queries/complaints/complaint_flow_links.sql counts the links
-- for the complaints chosen; the matching of stages, done once here, was most of its time).
create or replace table complaint_journeys as
with stage_two as (
    select
        complaint_id,
        coalesce(outcome, 'open') as outcome
    from complaints
    where stage = 2
),

referrals as (
    select
        complaint_id,
        max(ombudsman) as ombudsman,
        coalesce(max(ombudsman_outcome), 'pending') as decision
    from complaints
    where coalesce(ombudsman, 'none') != 'none'
    group by complaint_id
)

select
    s1.received_on,
    s1.service,
    s1.channel,
    'omb:' || r.ombudsman as ombudsman_node,
    'decision:' || r.decision as decision_node,
    's1:' || coalesce(s1.outcome, 'open') as stage_one_node,
    case when s2.complaint_id is not null then 's2:' || s2.outcome end as stage_two_node,
    s2.complaint_id is not null as escalated,
    r.complaint_id is not null as referred
from complaints as s1
left join stage_two as s2 on s1.complaint_id = s2.complaint_id
left join referrals as r on s1.complaint_id = r.complaint_id
where s1.stage = 1
order by s1.received_on;
