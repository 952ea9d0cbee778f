//! What a submit must satisfy before it is sent: the documented portions,
//! dates in order, and hours that fit in a day.

use super::{DayDuration, MINUTES_PER_DAY, RequestDuration, SubmitTimeOffRequest};
use crate::Error;
use crate::models::time_off::kinds::DayPortion;
use crate::models::time_off::wire::date_text;

impl SubmitTimeOffRequest {
    /// Checks what HiBob would refuse, before anything is sent: a blank
    /// policy type, an end before the start, portions or times out of their
    /// documented values, hours over a day or nothing requested at all.
    pub fn validate(&self) -> Result<(), Error> {
        if self.policy_type.trim().is_empty() {
            return Err(Error::invalid(
                "a time-off request needs a policy type (e.g. \"Holiday\")",
            ));
        }
        if self.end_date < self.start_date {
            return Err(Error::invalid(format!(
                "a time-off request ends ({}) before it starts ({})",
                date_text(self.end_date),
                date_text(self.start_date)
            )));
        }
        if self
            .approver
            .as_ref()
            .is_some_and(|id| id.as_str().trim().is_empty())
        {
            return Err(Error::invalid(
                "a time-off request's approver is an empty employee ID",
            ));
        }
        self.validate_duration()
    }

    fn validate_duration(&self) -> Result<(), Error> {
        match &self.duration {
            RequestDuration::Days {
                start_date_portion,
                end_date_portion,
            } => self.validate_days(start_date_portion, end_date_portion),
            RequestDuration::Hours { hours, minutes } => {
                if self.end_date != self.start_date {
                    return Err(Error::invalid(
                        "an `hours` time-off request covers one day: its start and end dates must be equal",
                    ));
                }
                check_day_minutes("hours", *hours, *minutes)
            }
            RequestDuration::DifferentDayDurations { durations } => {
                self.validate_durations(durations)
            }
            RequestDuration::PortionOnRange { day_portion } => match day_portion {
                DayPortion::Morning | DayPortion::Afternoon => Ok(()),
                other => Err(Error::invalid(format!(
                    "a `portionOnRange` time-off request takes `morning` or `afternoon` as its day portion, not `{other}`"
                ))),
            },
            RequestDuration::HoursOnRange {
                daily_hours,
                daily_minutes,
            } => check_day_minutes("daily hours", *daily_hours, *daily_minutes),
            RequestDuration::SpecificHours {
                local_start_time,
                local_end_time,
            } => {
                if local_end_time <= local_start_time {
                    return Err(Error::invalid(format!(
                        "a specific-hours time-off request must end after it starts (from {} to {})",
                        local_start_time.format("%H:%M:%S"),
                        local_end_time.format("%H:%M:%S")
                    )));
                }
                Ok(())
            }
        }
    }

    /// HiBob documents `all_day` or `afternoon` for the first day and
    /// `all_day` or `morning` for the last.
    fn validate_days(&self, start: &DayPortion, end: &DayPortion) -> Result<(), Error> {
        if !matches!(start, DayPortion::AllDay | DayPortion::Afternoon) {
            return Err(Error::invalid(format!(
                "a `days` time-off request starts `all_day` or in the `afternoon`, not `{start}`"
            )));
        }
        if !matches!(end, DayPortion::AllDay | DayPortion::Morning) {
            return Err(Error::invalid(format!(
                "a `days` time-off request ends `all_day` or in the `morning`, not `{end}`"
            )));
        }
        let one_day = self.start_date == self.end_date;
        if one_day && *start == DayPortion::Afternoon && *end == DayPortion::Morning {
            return Err(Error::invalid(
                "a one-day time-off request cannot start in the afternoon and end in the morning",
            ));
        }
        Ok(())
    }

    fn validate_durations(&self, durations: &[DayDuration]) -> Result<(), Error> {
        if durations.is_empty() {
            return Err(Error::invalid(
                "a `differentDayDurations` time-off request needs at least one day",
            ));
        }
        let mut seen = Vec::with_capacity(durations.len());
        for day in durations {
            if day.date < self.start_date || day.date > self.end_date {
                return Err(Error::invalid(format!(
                    "a time-off request's duration for {} lies outside its dates ({} to {})",
                    date_text(day.date),
                    date_text(self.start_date),
                    date_text(self.end_date)
                )));
            }
            if seen.contains(&day.date) {
                return Err(Error::invalid(format!(
                    "a time-off request lists {} twice in its durations",
                    date_text(day.date)
                )));
            }
            seen.push(day.date);
            check_minutes(day.hours, day.minutes)?;
        }
        if durations
            .iter()
            .all(|day| day.hours == 0 && day.minutes == 0)
        {
            return Err(Error::invalid(
                "a `differentDayDurations` time-off request requests no time",
            ));
        }
        Ok(())
    }
}

/// Minutes within 0–59 and at most a day in all.
fn check_minutes(hours: u32, minutes: u32) -> Result<(), Error> {
    if minutes > 59 {
        return Err(Error::invalid(format!(
            "a time-off request's minutes must be 0 to 59, not {minutes}"
        )));
    }
    if hours.saturating_mul(60).saturating_add(minutes) > MINUTES_PER_DAY {
        return Err(Error::invalid(format!(
            "a time-off request cannot take more than 24 hours a day ({hours}h {minutes}min)"
        )));
    }
    Ok(())
}

/// [`check_minutes`], and more than nothing.
fn check_day_minutes(what: &str, hours: u32, minutes: u32) -> Result<(), Error> {
    check_minutes(hours, minutes)?;
    if hours == 0 && minutes == 0 {
        return Err(Error::invalid(format!(
            "a time-off request's {what} are 0h 0min: nothing is requested"
        )));
    }
    Ok(())
}
