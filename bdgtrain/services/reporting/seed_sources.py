"""Where each measure comes from: the seed document and the sentence of it the measure implements, as the
reports print it beside the figure (Vietnamese on purpose: references into Vietnamese documents, kept
with each periodic report). docs/MEASURES.md quotes each sentence."""

MEASURE_SEEDS = {
    "trained_share": "Seed 000, mục I.3",
    "women_pool_share": "Seed 000, mục I.2; seed 001, mục II.1.a, chỉ tiêu 1",
    "women_leader_units": "Seed 000, mục I.1; seed 002, mục I.2, mục tiêu 1",
    "dtts_women": "Seed 000, mục II.2.c",
    "women_sent_share": "Seed 001, mục II.2.a, chỉ tiêu 2",
    "women_committee_share": "Seed 001, mục II.1.a, chỉ tiêu 2; seed 002, mục I.2, mục tiêu 1",
    "women_masters_places_share": "Seed 001, mục II.2.a, chỉ tiêu 1",
    "women_masters_share": "Seed 002, mục I.2, mục tiêu 3",
    "women_doctorates_share": "Seed 002, mục I.2, mục tiêu 3",
    "specialised_trained_share": "Seed 002, mục I.2, mục tiêu 9",
}
