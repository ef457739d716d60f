//! Danish local time (Europe/Copenhagen: CET, and CEST from the last Sunday of March to the
//! last Sunday of October, both at 01:00 UTC) for what the server writes for people to read:
//! exports and the frozen record. The browser app formats times itself.

/// (year, month 1–12, day 1–31) of a day counted from 1970-01-01 (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days from 1970-01-01 to (year, month, day).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The last Sunday of a month (31-day months only: March and October), as days since 1970.
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Monday … 6 = Sunday.
    let weekday = (last + 3).rem_euclid(7);
    last - (weekday - 6).rem_euclid(7)
}

/// The offset from UTC in hours at `ms` (epoch milliseconds).
pub fn offset_hours(ms: i64) -> i64 {
    let (year, _, _) = civil(ms.div_euclid(86_400_000));
    let hour = 3_600_000;
    let start = last_sunday(year, 3) * 86_400_000 + hour;
    let end = last_sunday(year, 10) * 86_400_000 + hour;
    if (start..end).contains(&ms) { 2 } else { 1 }
}

/// "25. september 2023 kl. 14:05" in Danish time.
pub fn format(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let local = ms + offset_hours(ms) * 3_600_000;
    let (year, month, day) = civil(local.div_euclid(86_400_000));
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    format!(
        "{day}. {} {year} kl. {:02}:{:02}",
        MONTHS[(month - 1) as usize],
        minutes / 60,
        minutes % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_and_winter_time() {
        // 2023-09-25 12:05 UTC is 14:05 CEST.
        assert_eq!(format(1_695_643_500_000), "25. september 2023 kl. 14:05");
        // 2023-12-03 11:00 UTC is 12:00 CET.
        assert_eq!(format(1_701_601_200_000), "3. december 2023 kl. 12:00");
        // Summer time 2023: 26 March 01:00 UTC to 29 October 01:00 UTC.
        let march = days_from_civil(2023, 3, 26) * 86_400_000;
        assert_eq!(offset_hours(march + 3_599_999), 1);
        assert_eq!(offset_hours(march + 3_600_000), 2);
        let october = days_from_civil(2023, 10, 29) * 86_400_000;
        assert_eq!(offset_hours(october + 3_599_999), 2);
        assert_eq!(offset_hours(october + 3_600_000), 1);
        assert_eq!(last_sunday(2026, 3), days_from_civil(2026, 3, 29));
        assert_eq!(civil(0), (1970, 1, 1));
    }
}
