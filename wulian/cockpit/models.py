"""The cockpit keeps no tables of its own.

It reads the other modules' rollups through their read functions: the enterprises' monthly
totals (`enterprises.months.month_totals`, kept current by the services that write monthly
figures), the chains' link statistics, the indicators' observations.
"""
