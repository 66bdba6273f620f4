"""The operating-system side of the appliance: systemd notify, first boot, network, USB."""
