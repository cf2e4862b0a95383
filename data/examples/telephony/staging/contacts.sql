-- Northfield call log -> contacts: one row per call offered.
-- `source` is the call log as read (every column text, headers normalised: "Queue Entry" is
-- queue_entry), with _file and _line, which the result keeps so every row can be traced.
with calls as (
    select
        _file,
        _line,
        call_ref,
        queue,
        outcome,
        talk_time_s,
        strptime(call_date || ' ' || call_time, '%d/%m/%Y %H:%M:%S') as offered_at,
        date_diff(
            'second',
            try_strptime(queue_entry, '%d/%m/%Y %H:%M:%S'),
            try_strptime(queue_exit, '%d/%m/%Y %H:%M:%S')
        ) as queue_seconds
    from source
)

select
    _file,
    _line,
    call_ref as contact_id,
    offered_at as received_at,
    'phone' as channel,
    queue as service,                     -- queue codes are mapped to services in mapping.toml
    'Contact Centre' as site,
    queue_seconds as wait_seconds,
    talk_time_s as handle_seconds,
    -- abandoned only when the caller waited in the queue and hung up before an answer
    case when outcome = 'ABN' then 'Y' else 'N' end as abandoned,
    case
        when outcome = 'PHN' then 'phantom call: no caller on the line'
        when outcome = 'ABN' and queue_seconds = 0
            then 'hung up before reaching the queue (not counted as abandoned)'
    end as _exclude
from calls
