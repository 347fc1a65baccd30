"""The write side: the event-sourced application that stores what cooperatives and partners do."""
