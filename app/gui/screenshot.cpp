#include "screenshot.h"

#include <wx/bitmap.h>
#include <wx/dcmemory.h>
#include <wx/dcscreen.h>
#include <wx/gdicmn.h>
#include <wx/image.h>
#include <wx/window.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <cstdlib>

namespace marginalia::gui {
namespace {

// The rectangle straight from the X server. Under GTK 3 a wxScreenDC read twice in one process can
// return what the screen showed the first time; XGetImage always reads the current pixels.
bool grab_from_x(const wxRect& area, wxImage& image) {
  if (!std::getenv("DISPLAY")) return false;
  Display* display = XOpenDisplay(nullptr);
  if (!display) return false;
  XImage* pixels = XGetImage(display, DefaultRootWindow(display), area.x, area.y,
                             static_cast<unsigned>(area.width), static_cast<unsigned>(area.height),
                             AllPlanes, ZPixmap);
  if (pixels) {
    image.Create(area.width, area.height);
    for (int y = 0; y < area.height; ++y)
      for (int x = 0; x < area.width; ++x) {
        const unsigned long p = XGetPixel(pixels, x, y);
        image.SetRGB(x, y, (p & pixels->red_mask) >> 16, (p & pixels->green_mask) >> 8,
                     p & pixels->blue_mask);
      }
    XDestroyImage(pixels);
  }
  XCloseDisplay(display);
  return pixels != nullptr;
}

}  // namespace

bool save_screenshot(wxWindow& window, const std::filesystem::path& file) {
  // Under GTK 3 a wxClientDC can't be read back, but the screen can: copy the window's rectangle
  // from it. Nothing may cover the window (true under Xvfb, where there is no window manager).
  window.Update();
  const wxRect area = window.GetScreenRect().Intersect(wxRect(wxGetDisplaySize()));
  if (area.IsEmpty()) return false;
  wxImage image;
  if (!grab_from_x(area, image)) {
    wxBitmap bitmap(area.GetSize());
    {
      wxScreenDC screen;
      wxMemoryDC memory(bitmap);
      memory.Blit(0, 0, area.width, area.height, &screen, area.x, area.y);
    }
    image = bitmap.ConvertToImage();
  }
  if (!wxImage::FindHandler(wxBITMAP_TYPE_PNG)) wxImage::AddHandler(new wxPNGHandler);
  return image.SaveFile(wxString::FromUTF8(file.string()), wxBITMAP_TYPE_PNG);
}

}  // namespace marginalia::gui
