"""Package data for Osteo Kiosk: the exercise catalogue, fonts, sounds and pictograms."""
