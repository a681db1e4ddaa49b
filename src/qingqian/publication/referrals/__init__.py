"""Accountability referrals: services, reads, the referral letter, pages."""
