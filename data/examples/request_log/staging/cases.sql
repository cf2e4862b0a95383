-- Eastmoor request log -> cases. Open while the response date is blank; each request type
-- belongs to a service with its own standard (working days), as the council publishes them.
with standards (request_type, service, standard_days) as (
    values
    ('Missed bin', 'Waste and Recycling', 2),
    ('Fly-tipping', 'Waste and Recycling', 5),
    ('Pothole', 'Highways', 10),
    ('Streetlight out', 'Highways', 10),
    ('Noise nuisance', 'Environmental Health', 15),
    ('Housing repair', 'Housing', 20)
)

select
    r._file,
    r._line,
    r.request_no as case_id,
    s.service,
    r.how_received as channel,
    r.date_received as opened_at,
    r.date_responded as closed_at,
    s.standard_days,
    1 as services_involved,
    case when r.date_responded is null then 'open' else 'closed' end as status
from source as r
left join standards as s on r.request_type = s.request_type
